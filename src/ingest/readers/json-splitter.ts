/**
 * A streaming splitter for big JSON files: yields the text of each item of the top-level array (or of
 * the array under a top-level key, e.g. `features` of a GeoJSON FeatureCollection) without ever holding
 * more than one item in memory; each item is then JSON.parse'd on its own.
 *
 * Hand-written rather than a streaming JSON parser from npm: the job is only to find item boundaries
 * (depth, strings, escapes), ~100 lines, and it lets JSON.parse (native, fast) do the real parsing.
 * stream-json would build every value through JS callbacks and be several times slower.
 */

export interface JsonItem {
  /** 1-based index of the item in the array. */
  index: number;
  text: string;
}

const OPEN_BRACE = 0x7b; // {
const CLOSE_BRACE = 0x7d; // }
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACKET = 0x5d; // ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff;
}

export class JsonArraySplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Depth of the items we extract (1 for a top-level array, 2 for `{ "features": [ ... ] }`). */
  private readonly itemDepth: number;
  private inTarget = false;
  private targetDone = false;
  private itemParts: string[] = [];
  private itemStart = -1;
  private index = 0;
  /** Last short string seen at depth 1: the key before a `[` (only when looking for a key). */
  private lastKey = '';
  private keyStart = -1;
  private keyParts: string[] = [];
  private sawRoot = false;

  /** `key` undefined: the root must be an array. Otherwise the root is an object and `key` names the array. */
  constructor(private readonly key?: string) {
    this.itemDepth = key === undefined ? 1 : 2;
  }

  /** Feeds a chunk; returns the items completed in it. */
  push(chunk: string): JsonItem[] {
    const out: JsonItem[] = [];
    const n = chunk.length;
    if (this.itemStart >= 0 || this.itemParts.length > 0) this.itemStart = 0;
    if (this.keyStart >= 0 || this.keyParts.length > 0) this.keyStart = 0;
    for (let i = 0; i < n; i += 1) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.keyStart >= 0) {
            this.keyParts.push(chunk.slice(this.keyStart, i));
            const k = this.keyParts.join('');
            this.lastKey = k.length <= 200 ? k : '';
            this.keyParts = [];
            this.keyStart = -1;
          }
        }
        continue;
      }
      if (isSpace(c)) continue;
      if (!this.sawRoot) {
        this.sawRoot = true;
        if (this.key === undefined && c !== OPEN_BRACKET) throw new Error('expected a JSON array at the top level');
        if (this.key !== undefined && c !== OPEN_BRACE) throw new Error(`expected a JSON object with a "${this.key}" array at the top level`);
      }
      // start of an item: first non-space character at item depth inside the target array
      if (this.inTarget && this.depth === this.itemDepth && this.itemStart < 0 && this.itemParts.length === 0 && c !== COMMA && c !== CLOSE_BRACKET) {
        this.itemStart = i;
      }
      if (c === QUOTE) {
        this.inString = true;
        if (this.key !== undefined && this.depth === 1 && !this.inTarget) this.keyStart = i + 1;
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (c === OPEN_BRACKET && !this.inTarget && !this.targetDone && this.depth === this.itemDepth - 1 && (this.key === undefined || this.lastKey === this.key)) {
          this.inTarget = true;
          this.depth += 1;
          continue;
        }
        this.depth += 1;
        continue;
      }
      if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (this.inTarget && this.depth === this.itemDepth) {
          // end of the target array; finish a pending scalar item
          this.finishItem(chunk, i, out);
          this.inTarget = false;
          this.targetDone = true;
        }
        this.depth -= 1;
        continue;
      }
      if (c === COMMA && this.inTarget && this.depth === this.itemDepth) {
        this.finishItem(chunk, i, out);
      }
    }
    if (this.itemStart >= 0) {
      this.itemParts.push(chunk.slice(this.itemStart));
      this.itemStart = -1;
    }
    if (this.keyStart >= 0) {
      this.keyParts.push(chunk.slice(this.keyStart));
      this.keyStart = -1;
    }
    return out;
  }

  private finishItem(chunk: string, end: number, out: JsonItem[]): void {
    if (this.itemStart < 0 && this.itemParts.length === 0) return;
    if (this.itemStart >= 0) this.itemParts.push(chunk.slice(this.itemStart, end));
    const text = this.itemParts.join('').trim();
    this.itemParts = [];
    this.itemStart = -1;
    if (text !== '') {
      this.index += 1;
      out.push({ index: this.index, text });
    }
  }

  /** Checks the document ended cleanly. */
  end(): void {
    if (!this.sawRoot) throw new Error('empty JSON document');
    if (this.inString || this.depth !== 0) throw new Error('truncated JSON document');
    if (!this.targetDone) {
      throw new Error(this.key === undefined ? 'expected a JSON array at the top level' : `no "${this.key}" array in the JSON document`);
    }
  }
}
