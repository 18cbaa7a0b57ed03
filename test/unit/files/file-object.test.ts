import { asFileObject, buildFileObject } from '../../../src/files/file-object';

describe('the v1 file object', () => {
  const id = 'b'.repeat(64);

  it('describes an image with its format, size and a thumbnail', () => {
    expect(buildFileObject({ id, filename: 'cat.png', mimetype: 'image/png', image: { format: 'png', width: 640, height: 480 } })).toEqual({
      id,
      filename: 'cat.png',
      mimetype: 'image/png',
      format: 'PNG',
      width: 640,
      height: 480,
      thumbnail: true,
    });
  });

  it('describes any other file without format or size, and without thumbnail', () => {
    expect(buildFileObject({ id, filename: 'report.pdf', mimetype: 'application/pdf', image: null })).toEqual({
      id,
      filename: 'report.pdf',
      mimetype: 'application/pdf',
      thumbnail: false,
    });
  });

  it('reads a stored file object back, tolerating missing keys', () => {
    expect(asFileObject({ id, filename: 'x.jpg', mimetype: 'image/jpeg', width: 1, height: 2, format: 'JPEG', thumbnail: true })).toEqual({
      id,
      filename: 'x.jpg',
      mimetype: 'image/jpeg',
      width: 1,
      height: 2,
      format: 'JPEG',
      thumbnail: true,
    });
    expect(asFileObject({ id })).toEqual({ id, filename: id, mimetype: 'application/octet-stream', thumbnail: false });
    expect(asFileObject('x')).toBeUndefined();
    expect(asFileObject({ filename: 'no id' })).toBeUndefined();
  });
});
