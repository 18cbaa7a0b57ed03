/**
 * A small HTTP proxy in front of a real OpenSearch node, on 127.0.0.1, that can slow some requests
 * down and records every request it forwards (method, path, time). Tests use it to make a download
 * slow on the OpenSearch side (a point-in-time page takes `delayMs`), and to see when the gateway
 * deleted its point-in-time.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';

export interface SeenRequest {
  method: string;
  path: string;
  at: number;
}

export interface OpenSearchProxy {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

export async function openSearchProxy(target: string, slow: { delayMs: number; when: (method: string, path: string, body: string) => boolean }): Promise<OpenSearchProxy> {
  const t = new URL(target);
  const seen: SeenRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      seen.push({ method, path, at: Date.now() });
      const forward = () => {
        const up = httpRequest({ host: t.hostname, port: t.port, method, path, headers: { ...req.headers, host: t.host } }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        up.on('error', () => res.destroy());
        up.end(body);
      };
      if (slow.when(method, path, body.toString('utf8'))) setTimeout(forward, slow.delayMs);
      else forward();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
