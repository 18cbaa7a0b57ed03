/**
 * The HTTP server of the gateway, with bounds on how slowly a client may send a request
 * (slow-loris): the whole request, headers and body, must arrive within `requestTimeoutMs`
 * (HTTP_REQUEST_TIMEOUT_MS), else Node answers 408 and closes the connection. Node checks these
 * deadlines every `connectionsCheckingInterval`, so the interval is kept a fraction of the timeout.
 * Responses are not bounded by it (a download may stream for long; src/protection/download-slots.ts
 * bounds those).
 *
 * Idle keep-alive connections are closed after `keepAliveTimeoutMs` (65 s, above the 60 s idle
 * timeout of common load balancers, so the balancer closes first).
 */
import { createServer, type RequestListener, type Server } from 'node:http';

export interface ServerTimeouts {
  requestTimeoutMs: number;
  keepAliveTimeoutMs?: number;
}

export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function createHttpServer(app: RequestListener, t: ServerTimeouts): Server {
  const server = createServer(
    {
      requestTimeout: t.requestTimeoutMs,
      // The headers must arrive first, within the same deadline (Node requires headersTimeout <= requestTimeout).
      headersTimeout: t.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(100, Math.min(5000, Math.floor(t.requestTimeoutMs / 4))),
      keepAliveTimeout: t.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    },
    app,
  );
  return server;
}
