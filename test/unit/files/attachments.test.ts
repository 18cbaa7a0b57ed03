import { attachmentIdOf, mergeAttachments, odsfileName, parseAttachSpec, storeNameOf } from '../../../src/files/attachments';

describe('attachments', () => {
  it('reads odsfile:// URLs', () => {
    expect(odsfileName('odsfile://documentation.pdf')).toBe('documentation.pdf');
    expect(odsfileName('https://example.org/doc.pdf')).toBeUndefined();
  });

  it('derives store names and attachment ids as ODS does', () => {
    expect(storeNameOf('/data/docs/documentation.pdf')).toBe('documentation.pdf');
    expect(storeNameOf('Notice légale (v2).pdf')).toBe('Notice_legale_v2_.pdf');
    expect(storeNameOf('..hidden')).toBe('hidden');
    expect(attachmentIdOf('documentation.pdf')).toBe('documentation_pdf');
  });

  it.each([
    ['report.pdf', { path: 'report.pdf', title: 'report.pdf' }],
    ['docs/report.pdf:Annual report', { path: 'docs/report.pdf', title: 'Annual report' }],
    ['report.pdf:Report: 2024', { path: 'report.pdf', title: 'Report: 2024' }],
    ['report.pdf:', { path: 'report.pdf', title: 'report.pdf' }],
  ])('--attach %j', (spec, expected) => {
    expect(parseAttachSpec(spec)).toEqual(expected);
  });

  it('replaces an attachment of the same id', () => {
    const a = { id: 'a_pdf', title: 'A', mimetype: 'application/pdf', url: 'odsfile://a.pdf' };
    const b = { id: 'b_pdf', title: 'B', mimetype: 'application/pdf', url: 'odsfile://b.pdf' };
    expect(mergeAttachments([a, b], [{ ...a, title: 'A2' }])).toEqual([b, { ...a, title: 'A2' }]);
  });
});
