// Truly concurrent requests: every connection is opened first, then every request is written in one go.
import { connect, type Socket } from 'node:net';

/** One request of a burst. */
export interface BurstRequest {
  /** `http://127.0.0.1:port` of the replica. */
  base: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** One answer of a burst: status and body (Content-Length framed; the server closes the connection). */
export interface BurstAnswer {
  status: number;
  body: string;
}

/**
 * Opens one connection per request, waits until all are connected, then writes every request in
 * one synchronous loop, so that they reach the servers as close together as the machine allows
 * (fetch staggers requests by its connection set-up). Resolves with the answers in request order.
 */
export async function burst(requests: readonly BurstRequest[]): Promise<BurstAnswer[]> {
  const sockets = await Promise.all(
    requests.map(
      (r) =>
        new Promise<Socket>((resolve, reject) => {
          const url = new URL(r.base);
          const socket = connect(Number(url.port), url.hostname, () => resolve(socket));
          socket.once('error', reject);
        }),
    ),
  );
  const answers = sockets.map(
    (socket) =>
      new Promise<BurstAnswer>((resolve) => {
        const chunks: Buffer[] = [];
        socket.on('data', (c: Buffer) => chunks.push(c));
        socket.setTimeout(15_000, () => socket.destroy());
        socket.on('close', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
          resolve({ status, body: raw.slice(raw.indexOf('\r\n\r\n') + 4) });
        });
        socket.on('error', () => undefined);
      }),
  );
  requests.forEach((r, i) => {
    const body = r.body ?? '';
    const head = [`${r.method} ${r.path} HTTP/1.1`, `Host: ${new URL(r.base).host}`, 'Connection: close', `Content-Length: ${Buffer.byteLength(body)}`, ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`)];
    sockets[i]!.write(`${head.join('\r\n')}\r\n\r\n${body}`);
  });
  return Promise.all(answers);
}
