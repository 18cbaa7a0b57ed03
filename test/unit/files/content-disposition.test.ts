import { asciiFallback, contentDisposition, encodeRfc5987 } from '../../../src/files/content-disposition';

describe('Content-Disposition (RFC 6266, RFC 5987 for non-ASCII names)', () => {
  it.each([
    ['inline', 'photo.png', 'inline; filename="photo.png"'],
    ['attachment', 'Annual report 2024.pdf', 'attachment; filename="Annual report 2024.pdf"'],
    ['inline', 'Élévation.pdf', `inline; filename="Elevation.pdf"; filename*=UTF-8''%C3%89l%C3%A9vation.pdf`],
    ['attachment', '北京.csv', `attachment; filename="__.csv"; filename*=UTF-8''%E5%8C%97%E4%BA%AC.csv`],
    ['inline', 'say "hi".txt', `inline; filename="say _hi_.txt"; filename*=UTF-8''say%20%22hi%22.txt`],
    ['inline', 'a\\b.txt', 'inline; filename="b.txt"'],
    ['inline', '../../etc/passwd', 'inline; filename="passwd"'],
    ['inline', 'line\r\nbreak.txt', `inline; filename="line__break.txt"; filename*=UTF-8''line%0D%0Abreak.txt`],
    ['inline', '', 'inline; filename="file"'],
  ] as const)('%s %j → %s', (type, name, expected) => {
    expect(contentDisposition(type, name)).toBe(expected);
  });

  it('percent-encodes every byte outside attr-char, including the characters encodeURIComponent keeps', () => {
    expect(encodeRfc5987("it's (1)*.txt")).toBe('it%27s%20%281%29%2A.txt');
    expect(encodeRfc5987('a-b_c.d~e')).toBe('a-b_c.d~e');
  });

  it('folds accents for the ASCII fallback and replaces what a quoted string cannot hold', () => {
    expect(asciiFallback('Crème brûlée "x"\\')).toBe('Creme brulee _x__');
  });
});
