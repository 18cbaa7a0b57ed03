/**
 * Bounds on streamed downloads, so that slow or stalled clients cannot hold OpenSearch's
 * point-in-time contexts (`search.max_open_pit_context`, 300 per node by default and shared with
 * every other user of the cluster) or the gateway's connections without end:
 *
 * - at most `maxPerIdentity` downloads at once per caller (a user, or an anonymous IP): more answers
 *   429 with Retry-After;
 * - at most `maxConcurrent` downloads at once in this process: more answers 503 with Retry-After,
 *   from the gateway, before OpenSearch would refuse a point-in-time to anyone;
 * - a download that lasts more than `maxSeconds`, or whose client reads nothing for `idleSeconds`
 *   (the response waits to drain: the socket buffers between the two ends, a few megabytes, are
 *   full), is cut: its point-in-time is deleted and the connection reset.
 *
 * Counts are per process: with R replicas on one cluster, keep R × DOWNLOAD_MAX_CONCURRENT well
 * under the nodes' `search.max_open_pit_context` (docs/security.md).
 */
import { GatewayError } from '../errors';

export interface DownloadSlotsOptions {
  maxConcurrent: number;
  maxPerIdentity: number;
  maxSeconds: number;
  idleSeconds: number;
}

/** What a guarded download answers to: its response stream and how to stop its loop. */
export interface GuardedResponse {
  readonly writableNeedDrain: boolean;
  readonly socket?: { resetAndDestroy?: () => unknown } | null;
  destroy(): unknown;
}

export type StopReason = 'duration' | 'idle';

export interface DownloadSlot {
  /**
   * Watches a download: past the total duration or the idle time, `stop` is called (abort the loop)
   * and the response destroyed. Returns the function that ends the watch.
   */
  guard(res: GuardedResponse, stop: (reason: StopReason) => void): () => void;
  /** Frees the slot (idempotent). */
  release(): void;
}

export interface DownloadSlots {
  /** A slot for the caller, or a 429 (this caller) / 503 (everyone) GatewayError. */
  acquire(identity: string): DownloadSlot;
  /** Downloads running now (tests, metrics). */
  active(): number;
}

/** Retry-After of a refused download: a download usually takes seconds to minutes. */
export const DOWNLOAD_RETRY_AFTER_SECONDS = 30;

export function downloadSlots(options: DownloadSlotsOptions): DownloadSlots {
  let running = 0;
  const byIdentity = new Map<string, number>();
  const headers = { 'Retry-After': String(DOWNLOAD_RETRY_AFTER_SECONDS) };
  return {
    active: () => running,
    acquire(identity) {
      const mine = byIdentity.get(identity) ?? 0;
      if (mine >= options.maxPerIdentity) {
        throw new GatewayError(
          'too_many_requests',
          `Too many downloads at once: at most ${options.maxPerIdentity} per caller; wait for one to finish`,
          { headers, extra: { limit: 'DOWNLOAD_MAX_PER_IDENTITY', max: options.maxPerIdentity } },
        );
      }
      if (running >= options.maxConcurrent) {
        throw new GatewayError('busy', 'Too many downloads are running on this server; retry later', { headers });
      }
      running++;
      byIdentity.set(identity, mine + 1);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          running--;
          const left = (byIdentity.get(identity) ?? 1) - 1;
          if (left > 0) byIdentity.set(identity, left);
          else byIdentity.delete(identity);
        },
        guard(res, stop) {
          let done = false;
          const end = (reason: StopReason) => {
            if (done) return;
            done = true;
            clear();
            stop(reason);
            // A reset, not a close: a close would wait behind the megabytes the client has not read
            // (kernel buffers), and the client must see that its download was cut, not ended.
            const socket = res.socket;
            if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
            else res.destroy();
          };
          const total = setTimeout(() => end('duration'), options.maxSeconds * 1000);
          // The response waits to drain while the client reads nothing: idle since the first check
          // that saw it waiting.
          let waitingSince: number | undefined;
          const idleMs = options.idleSeconds * 1000;
          const poll = setInterval(() => {
            if (!res.writableNeedDrain) {
              waitingSince = undefined;
              return;
            }
            const now = Date.now();
            waitingSince ??= now;
            if (now - waitingSince >= idleMs) end('idle');
          }, Math.max(50, Math.min(1000, idleMs / 4)));
          total.unref();
          poll.unref();
          function clear() {
            clearTimeout(total);
            clearInterval(poll);
          }
          return () => {
            done = true;
            clear();
          };
        },
      };
    },
  };
}
