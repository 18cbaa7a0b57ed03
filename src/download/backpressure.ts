/**
 * Writing to a slow client without buffering the whole download: when `write` returns false the
 * socket buffer is full, and the next page is not read until `drain` (opensearch-js helpers,
 * docs/architecture.md, habit 6). A client that disconnects while we wait ends the wait too: `close` and the
 * abort signal settle it, and the caller stops.
 */
export interface Sink {
  write(chunk: string | Uint8Array): boolean;
  once(event: 'drain' | 'close' | 'error', listener: (...args: unknown[]) => void): unknown;
  removeListener(event: 'drain' | 'close' | 'error', listener: (...args: unknown[]) => void): unknown;
}

export async function writeChunk(sink: Sink, chunk: string | Uint8Array, signal: AbortSignal): Promise<void> {
  if (signal.aborted || chunk.length === 0) return;
  if (sink.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      sink.removeListener('drain', done);
      sink.removeListener('close', done);
      sink.removeListener('error', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    sink.once('drain', done);
    sink.once('close', done);
    sink.once('error', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
