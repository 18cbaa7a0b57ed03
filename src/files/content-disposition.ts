/**
 * `Content-Disposition` with the original file name (RFC 6266), readable by every browser: an ASCII
 * `filename="..."` fallback, plus `filename*=UTF-8''<percent-encoded>` (RFC 5987/8187) when the name
 * is not plain ASCII. Quotes, backslashes and control characters never reach the header.
 *
 *   contentDisposition('inline', 'Élévation 2024.pdf')
 *   → inline; filename="Elevation 2024.pdf"; filename*=UTF-8''%C3%89l%C3%A9vation%202024.pdf
 */

/** RFC 5987 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

/** RFC 5987 ext-value of a UTF-8 string: every byte outside attr-char as %XX. */
export function encodeRfc5987(value: string): string {
  let out = '';
  for (const ch of value) {
    if (ATTR_CHAR.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Accents folded, anything else outside printable ASCII (and `"`, `\`) replaced with `_`. */
export function asciiFallback(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
}

export function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  // Path separators would make some clients save elsewhere; a name is a name.
  const name = (filename.split(/[\\/]/).pop() ?? '').trim() || 'file';
  const fallback = asciiFallback(name);
  const header = `${type}; filename="${fallback}"`;
  return fallback === name ? header : `${header}; filename*=UTF-8''${encodeRfc5987(name)}`;
}
