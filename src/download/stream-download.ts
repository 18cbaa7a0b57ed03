/**
 * The streamed download loop: pages of hits → rendered records → the format writer → the client,
 * one page at a time, waiting for `drain` when the client is slower than the reads.
 *
 * The first page is read BEFORE `begin()` (which sends the status and headers), so a failure to
 * open the point-in-time or to read the first page is still a normal v1 error; after that, an
 * error propagates with the headers sent and the error handler cuts the connection. When the client
 * goes away (`signal`), the loop stops writing and returns the iterator, which deletes the PIT.
 */
import type { V1Record } from '../responses/record';
import { type Sink, writeChunk } from './backpressure';
import type { Hit } from './pit-pages';
import type { RecordStreamWriter } from './record-writers';

export interface StreamDownloadOptions {
  pages: AsyncIterable<Hit[]>;
  render: (hit: Hit) => V1Record;
  /** A text writer of src/download/record-writers, or one whose pieces are bytes or come later (the binary v2.1 exports). */
  writer: RecordStreamWriter | ChunkWriter;
  sink: Sink;
  signal: AbortSignal;
  /** Sends the status and headers: called once the first page is known to be readable. */
  begin: () => void;
}

type Chunk = string | Uint8Array;
export interface ChunkWriter {
  open(): Chunk | Promise<Chunk>;
  records(batch: readonly V1Record[], offset: number): Chunk | Promise<Chunk>;
  close(): Chunk | Promise<Chunk>;
}

export interface StreamDownloadResult {
  records: number;
  /** False when the client disconnected before the end. */
  completed: boolean;
}

export async function streamDownload(options: StreamDownloadOptions): Promise<StreamDownloadResult> {
  const { writer, sink, signal } = options;
  const it = options.pages[Symbol.asyncIterator]();
  let step = await it.next();
  options.begin();
  let records = 0;
  try {
    await writeChunk(sink, await writer.open(), signal);
    while (!step.done && !signal.aborted) {
      const batch = step.value.map(options.render);
      await writeChunk(sink, await writer.records(batch, records), signal);
      records += batch.length;
      if (signal.aborted) break;
      step = await it.next();
    }
    if (signal.aborted) return { records, completed: false };
    await writeChunk(sink, await writer.close(), signal);
    return { records, completed: true };
  } finally {
    // Stopped early (disconnect, error in a writer): release the point-in-time now.
    if (!step.done) await it.return?.(undefined);
  }
}
