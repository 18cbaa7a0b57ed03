/**
 * The gateway's shutdown as the request pipeline sees it (main.ts drives it; docs/operations.md):
 *
 *   stop()     SIGTERM: /readyz answers 503 (a load balancer stops sending), and every response whose
 *              headers are written from now on says `Connection: close`, so that no keep-alive client
 *              sends another request on a connection the gateway is about to close (a reset);
 *   cutNow()   SHUTDOWN_TIMEOUT_MS has passed: long responses (downloads) stop, end their response as
 *              an aborted stream (never a normal end: the client must see the data is incomplete) and
 *              release what they hold in OpenSearch (their point-in-time);
 *   settled()  resolves once the work registered with track() is done: main.ts waits for it before it
 *              closes the OpenSearch client, so a point-in-time is always deleted with a live client.
 */
import type { RequestHandler } from 'express';

export interface Lifecycle {
  /** True from the start of the shutdown. */
  readonly stopping: boolean;
  /** Aborted when the shutdown timeout has passed. */
  readonly cut: AbortSignal;
  /** Keeps the process's clients open until `work` settles (its result and error are passed through). */
  track<T>(work: Promise<T>): Promise<T>;
}

export interface LifecycleControl extends Lifecycle {
  stop(): void;
  cutNow(): void;
  /** True when the tracked work settled within `timeoutMs`. */
  settled(timeoutMs: number): Promise<boolean>;
}

export function createLifecycle(): LifecycleControl {
  let stopping = false;
  const controller = new AbortController();
  const work = new Set<Promise<unknown>>();
  return {
    get stopping() {
      return stopping;
    },
    cut: controller.signal,
    track(p) {
      const settled = p.then(
        () => undefined,
        () => undefined,
      );
      work.add(settled);
      void settled.then(() => work.delete(settled));
      return p;
    },
    stop() {
      stopping = true;
    },
    cutNow() {
      stopping = true;
      controller.abort();
    },
    async settled(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (work.size > 0) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.all([...work]), new Promise<void>((r) => (timer = setTimeout(r, left)))]);
        clearTimeout(timer);
      }
      return true;
    },
  };
}

/** A lifecycle that never stops (tests, and apps built without main.ts). */
export const RUNNING: Lifecycle = { stopping: false, cut: new AbortController().signal, track: (p) => p };

/**
 * `Connection: close` on every response whose headers are written while the gateway is stopping
 * (Node then closes the connection after that response). Set when the headers go out, not when the
 * request arrives, so that requests in flight when the shutdown starts say it too.
 */
export function closeConnectionsWhenStopping(life: Lifecycle): RequestHandler {
  return (_req, res, next) => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: unknown[]) {
      if (life.stopping && !res.headersSent) res.setHeader('Connection', 'close');
      return (writeHead as (...a: unknown[]) => typeof res).apply(this, args);
    } as typeof res.writeHead;
    next();
  };
}
