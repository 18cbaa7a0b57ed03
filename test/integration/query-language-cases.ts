/**
 * Independent expectations for test/integration/query-language.int.test.ts: a plain-TypeScript model
 * of the text analysis, of geodesy and of planar geometry, applied to the SOURCE data of the sample
 * datasets (test/helpers/sample-data.ts). Nothing here imports src/: the point is to compute, on our
 * own, what each q must match, and to compare with what the gateway answers.
 *
 * The text model follows what docs/query-language.md and the index mapping promise:
 *  - the standard tokenizer (Unicode UAX #29 word boundaries): runs of letters and digits; `.`, `'`,
 *    `’` and `:` join two letters ("john’s", "earthquake.usgs.gov"), `.`, `,` and `;` join two digits
 *    ("2.0"); each CJK ideograph is a word of its own;
 *  - French elision (`l'`, `d'`, `qu'`... stripped, any case), then lower case, then ASCII folding
 *    (NFD without marks, and the few letters NFD does not decompose: ß, æ, œ, ø, ł, đ...);
 *  - a bare word is `match_phrase_prefix` on `__all` (every text field): its words in order, the
 *    last one a prefix, within one value of one field (values do not run into each other);
 *  - a phrase is `match_phrase`: the same with whole words.
 */

// ---------------------------------------------------------------------------------------- text

const ELISION = new Set(['l', 'm', 't', 'qu', 'n', 's', 'j', 'd', 'c', 'jusqu', 'quoiqu', 'lorsqu', 'puisqu']);

type Kind = 'letter' | 'digit' | 'connector' | 'extend' | 'ideograph' | 'midLetter' | 'midNumLet' | 'midNum' | 'other';

const MID_LETTER = new Set([':', '\u00b7', '\u0387', '\u055f', '\u05f4', '\u2027', '\ufe13', '\ufe55', '\uff1a']);
const MID_NUM_LET = new Set(['.', "'", '\u2018', '\u2019', '\u2024', '\ufe52', '\uff07', '\uff0e']);
const MID_NUM = new Set([',', ';', '\u037e', '\u0589', '\u060c', '\u060d', '\u066c', '\u07f8', '\u2044', '\ufe10', '\ufe14', '\ufe50', '\ufe54', '\uff0c', '\uff1b']);

function kindOf(c: string): Kind {
  if (/[\p{Script=Han}\p{Script=Hiragana}]/u.test(c)) return 'ideograph';
  if (/[\p{M}\p{Cf}]/u.test(c)) return 'extend';
  if (/\p{Nd}/u.test(c)) return 'digit';
  if (/\p{Alphabetic}/u.test(c)) return 'letter';
  if (/\p{Pc}/u.test(c)) return 'connector';
  if (MID_LETTER.has(c)) return 'midLetter';
  if (MID_NUM_LET.has(c)) return 'midNumLet';
  if (MID_NUM.has(c)) return 'midNum';
  return 'other';
}

/** The tokens of the standard tokenizer (UAX #29), before any filter. */
export function tokenize(s: string): string[] {
  const chars = [...s];
  const out: string[] = [];
  let cur = '';
  let last: Kind | undefined; // the last letter/digit/connector of cur
  let hasWordChar = false;
  const flush = (): void => {
    if (cur !== '' && hasWordChar) out.push(cur);
    cur = '';
    last = undefined;
    hasWordChar = false;
  };
  for (let i = 0; i < chars.length; i += 1) {
    const c = chars[i] as string;
    const k = kindOf(c);
    if (k === 'extend') {
      if (cur !== '') cur += c; // marks and format characters stick to what precedes them
      continue;
    }
    if (k === 'letter' || k === 'digit' || k === 'connector') {
      cur += c;
      last = k;
      if (k !== 'connector') hasWordChar = true;
      continue;
    }
    if (k === 'ideograph') {
      flush();
      out.push(c);
      continue;
    }
    if (cur !== '' && (k === 'midLetter' || k === 'midNumLet' || k === 'midNum')) {
      // the next character that is not an extend
      let j = i + 1;
      while (j < chars.length && kindOf(chars[j] as string) === 'extend') j += 1;
      const next = j < chars.length ? kindOf(chars[j] as string) : undefined;
      const letters = (k === 'midLetter' || k === 'midNumLet') && last === 'letter' && next === 'letter';
      const digits = (k === 'midNum' || k === 'midNumLet') && last === 'digit' && next === 'digit';
      if (letters || digits) {
        cur += c;
        continue;
      }
    }
    flush();
  }
  flush();
  return out;
}

const EXTRA_FOLD: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  ı: 'i',
  þ: 'th',
  ħ: 'h',
  ŧ: 't',
  ŋ: 'n',
  ſ: 's',
  ə: 'e',
  '\u2018': "'",
  '\u2019': "'",
};

/** Lower case and ASCII folding (the `ods_lower` normalizer, and the end of the `ods_text` analyzer). */
export function fold(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßæœøłđðıþħŧŋſə\u2018\u2019]/g, (c) => EXTRA_FOLD[c] ?? c);
}

function elide(token: string): string {
  const i = token.search(/['\u2019]/);
  if (i >= 0 && ELISION.has(token.slice(0, i).toLowerCase())) return token.slice(i + 1);
  return token;
}

/** The `ods_text` analyzer: standard tokenizer, elision, lowercase, ASCII folding. */
export function analyze(s: string): string[] {
  return tokenize(s)
    .map(elide)
    .map(fold)
    .filter((t) => t !== '');
}

/** Text values of a record: field name → its values (a multivalued field has several). */
export type TextValues = Record<string, string[]>;

/** `match_phrase_prefix` (prefix = true) or `match_phrase` of `query` in one analysed value. */
function phraseIn(tokens: readonly string[], words: readonly string[], prefix: boolean): boolean {
  if (words.length === 0) return true;
  for (let i = 0; i + words.length <= tokens.length; i += 1) {
    let ok = true;
    for (let j = 0; j < words.length && ok; j += 1) {
      const t = tokens[i + j] as string;
      const w = words[j] as string;
      ok = prefix && j === words.length - 1 ? t.startsWith(w) : t === w;
    }
    if (ok) return true;
  }
  return false;
}

/** An analysed copy of a dataset's text values, computed once, searched many times. */
export class TextIndex {
  private readonly records: string[][][]; // record → values (all text fields) → tokens
  constructor(values: readonly TextValues[], fields?: readonly string[]) {
    this.records = values.map((v) =>
      Object.entries(v)
        .filter(([f]) => fields === undefined || fields.includes(f))
        .flatMap(([, vs]) => vs.map(analyze)),
    );
  }

  /** Records where some value holds the analysed `text` as a phrase (its last word a prefix when `prefix`). */
  count(text: string, prefix: boolean): number {
    const words = analyze(text);
    let n = 0;
    for (const r of this.records) if (r.some((tokens) => phraseIn(tokens, words, prefix))) n += 1;
    return n;
  }

  /** Records matching every one of several bare words (`a b` is `a AND b`). */
  countAll(words: readonly string[]): number {
    const ws = words.map((w) => analyze(w));
    let n = 0;
    for (const r of this.records) if (ws.every((w) => r.some((tokens) => phraseIn(tokens, w, true)))) n += 1;
    return n;
  }

  /** The matching predicate for one record index (to combine with other conditions). */
  matches(i: number, text: string, prefix: boolean): boolean {
    const words = analyze(text);
    return (this.records[i] ?? []).some((tokens) => phraseIn(tokens, words, prefix));
  }
}

/** A multivalued source value split like the descriptor says: on the separator, trimmed, empties dropped. */
export function splitValues(v: string | null | undefined, sep = ','): string[] {
  if (v === null || v === undefined) return [];
  return v
    .split(sep)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A single source value as text values: nothing for null, undefined or blank. */
export function one(v: string | number | null | undefined): string[] {
  if (v === null || v === undefined) return [];
  const s = String(v);
  return s.trim() === '' ? [] : [s];
}

// ---------------------------------------------------------------------------------------- geo

/** The Earth radius OpenSearch (Lucene's SloppyMath) uses for distances. */
export const EARTH_RADIUS_M = 6371008.7714;

export function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Points within `radius` of a centre, and the points within `margin` metres of the circle (which a
 * strict expectation cannot decide: OpenSearch quantises coordinates to ~1e-7° and uses a fast
 * approximation of the haversine).
 */
export function withinDistance(points: readonly { lat: number; lon: number }[], lat: number, lon: number, radius: number, margin = 5): { inside: number; ambiguous: number } {
  let inside = 0;
  let ambiguous = 0;
  for (const p of points) {
    const d = haversine(lat, lon, p.lat, p.lon);
    if (Math.abs(d - radius) <= margin) ambiguous += 1;
    else if (d < radius) inside += 1;
  }
  return { inside, ambiguous };
}

/** [lon, lat], the GeoJSON order. */
export type Pt = readonly [number, number];

/** Ray casting; points on the boundary are not decided here (see distanceToRing). */
export function inRing(p: Pt, ring: readonly Pt[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as Pt;
    const [xj, yj] = ring[j] as Pt;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function distanceToSegment(p: Pt, a: Pt, b: Pt): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Planar distance (in degrees) from a point to a closed ring's boundary. */
export function distanceToRing(p: Pt, ring: readonly Pt[]): number {
  let d = Infinity;
  for (let i = 0; i < ring.length; i += 1) d = Math.min(d, distanceToSegment(p, ring[i] as Pt, ring[(i + 1) % ring.length] as Pt));
  return d;
}

/** Points strictly inside a polygon (one ring), and those within `margin` degrees of its edges. */
export function insidePolygon(points: readonly Pt[], ring: readonly Pt[], margin = 1e-5): { inside: number; ambiguous: number } {
  let inside = 0;
  let ambiguous = 0;
  for (const p of points) {
    if (distanceToRing(p, ring) <= margin) ambiguous += 1;
    else if (inRing(p, ring)) inside += 1;
  }
  return { inside, ambiguous };
}

function orient(a: Pt, b: Pt, c: Pt): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

function segmentsCross(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return true;
  const on = (p: Pt, q: Pt, r: Pt): boolean => Math.min(p[0], q[0]) <= r[0] && r[0] <= Math.max(p[0], q[0]) && Math.min(p[1], q[1]) <= r[1] && r[1] <= Math.max(p[1], q[1]);
  return (o1 === 0 && on(a, b, c)) || (o2 === 0 && on(a, b, d)) || (o3 === 0 && on(c, d, a)) || (o4 === 0 && on(c, d, b));
}

/**
 * Whether a GeoJSON Polygon (rings of [lon, lat]) and a query ring intersect, with edges read as
 * straight lines in (lon, lat), as Lucene's shape queries do: some edges cross, or one holds a
 * vertex of the other (a query vertex inside the outer ring but inside a hole does not count).
 */
export function polygonIntersects(rings: readonly (readonly Pt[])[], query: readonly Pt[]): boolean {
  const outer = rings[0];
  if (!outer) return false;
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i += 1) {
      for (let j = 0; j < query.length; j += 1) {
        if (segmentsCross(ring[i] as Pt, ring[i + 1] as Pt, query[j] as Pt, query[(j + 1) % query.length] as Pt)) return true;
      }
    }
  }
  if (outer.some((p) => inRing(p, query))) return true;
  return query.some((q) => inRing(q, outer) && !rings.slice(1).some((h) => inRing(q, h)));
}

/** Shoelace area (twice, signed) of a ring of [lon, lat]. */
export function ringArea2(ring: readonly Pt[]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i += 1) s += (ring[i] as Pt)[0] * (ring[i + 1] as Pt)[1] - (ring[i + 1] as Pt)[0] * (ring[i] as Pt)[1];
  return s;
}

/** A query ring "(lat,lon),(lat,lon),..." as [lon, lat] points (not closed). */
export function parseRing(text: string): Pt[] {
  return [...text.matchAll(/\(\s*([-\d.]+)\s*,\s*([-\d.]+)\s*\)/g)].map((m) => [Number(m[2]), Number(m[1])] as const);
}

/** The ring grown (or shrunk, with a negative d) by d degrees around its centroid: a robustness probe. */
export function scaleRing(ring: readonly Pt[], d: number): Pt[] {
  const cx = ring.reduce((s, p) => s + p[0], 0) / ring.length;
  const cy = ring.reduce((s, p) => s + p[1], 0) / ring.length;
  return ring.map((p) => {
    const len = Math.hypot(p[0] - cx, p[1] - cy);
    return [p[0] + ((p[0] - cx) / len) * d, p[1] + ((p[1] - cy) / len) * d] as const;
  });
}
