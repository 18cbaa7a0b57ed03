/**
 * The rejects file: NDJSON, one `{line, reason, row}` per rejected row, in reading order (rows dropped by
 * OpenSearch come when the bulk answer arrives). Created when the load starts if its path was given
 * (so a stale file from an earlier run never misleads), else on the first reject.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import type { Reject } from './types';

function jsonSafe(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

export class RejectsWriter {
  private stream: WriteStream | undefined;
  private n = 0;

  constructor(readonly path: string, options: { eager?: boolean } = {}) {
    if (options.eager) this.open();
  }

  private open(): WriteStream {
    if (!this.stream) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.stream = createWriteStream(this.path, { encoding: 'utf8' });
    }
    return this.stream;
  }

  get count(): number {
    return this.n;
  }

  /** True when the file exists (something was written, or the path was given). */
  get created(): boolean {
    return this.stream !== undefined;
  }

  async write(r: Reject): Promise<void> {
    this.n += 1;
    const s = this.open();
    if (!s.write(`${JSON.stringify({ line: r.line, reason: r.reason, row: r.row }, jsonSafe)}\n`)) await once(s, 'drain');
  }

  /** Like write, for callbacks that cannot wait (the bulk helper's onDrop). */
  writeNow(r: Reject): void {
    this.n += 1;
    this.open().write(`${JSON.stringify({ line: r.line, reason: r.reason, row: r.row }, jsonSafe)}\n`);
  }

  async close(): Promise<void> {
    const s = this.stream;
    if (!s) return;
    await new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
