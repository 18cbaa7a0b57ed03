/**
 * Draining an HTTP server without resetting keep-alive clients (main.ts; docs/operations.md).
 *
 * Node's `server.close()` also closes every idle keep-alive connection at once: a client that is just
 * sending its next request on one gets ECONNRESET. Here the listener stops accepting, but an idle
 * connection stays open for `idleGraceMs` after its last response: a request arriving on it meanwhile is
 * answered (with `Connection: close`, lifecycle.ts), and only connections idle for longer are closed.
 * Connections with a request in flight are left to finish (or to `destroyAll()` at the timeout).
 */
import { Server as NetServer, type Socket } from 'node:net';
import type { Server } from 'node:http';

interface ConnectionState {
  active: number;
  idleSince: number;
}

export interface ServerDrain {
  /** Requests whose response has not finished. */
  inFlight(): number;
  /** Stops accepting connections; resolves once every connection is closed. */
  close(): Promise<void>;
  /** Closes the connections that have no request in flight and have been idle at least `graceMs`. */
  closeIdle(graceMs: number): void;
  /** Closes every connection (the timeout has passed). */
  destroyAll(): void;
}

/** Starts tracking the server's connections (call it before `listen`). */
export function trackConnections(server: Server, now: () => number = Date.now): ServerDrain {
  const connections = new Map<Socket, ConnectionState>();
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { active: 0, idleSince: now() });
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (req, res) => {
    const state = connections.get(req.socket);
    if (!state) return;
    state.active += 1;
    res.once('close', () => {
      state.active -= 1;
      state.idleSince = now();
    });
  });
  let closed: Promise<void> | undefined;
  return {
    inFlight: () => [...connections.values()].reduce((n, s) => n + s.active, 0),
    close() {
      // net.Server's close, not http.Server's (which would close idle connections at once).
      closed ??= new Promise<void>((resolve) => {
        NetServer.prototype.close.call(server, () => resolve());
      });
      return closed;
    },
    closeIdle(graceMs) {
      const t = now();
      const idle = [...connections].filter(([, s]) => s.active === 0 && t - s.idleSince >= graceMs).map(([socket, s]) => ({ socket, s, read: socket.bytesRead }));
      // Decided after the event loop's next I/O phase: a request whose bytes are already here but not
      // yet read (a busy loop runs timers first) is read and counted before, and its connection kept.
      setImmediate(() => {
        for (const { socket, s, read } of idle) if (s.active === 0 && socket.bytesRead === read) socket.destroy();
      });
    },
    destroyAll() {
      for (const socket of connections.keys()) socket.destroy();
    },
  };
}
