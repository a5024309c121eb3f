// A raw-socket HTTP/1.1 exchange that keeps the response exactly as received (status line,
// reason phrase, every header line, body), for searching; request bytes are sent as given.
import { connect, type AddressInfo, type Server } from 'node:net';

export interface RawExchange {
  status: number;
  /** The whole response as latin1 text. */
  raw: string;
  /** Lower-cased header names to values (last one wins), for assertions. */
  headers: Record<string, string>;
}

/** Sends `head` lines (request line first, no final blank line), `Connection: close`, and `body`. */
export function exchange(server: Server, head: readonly string[], body: string | Buffer = ''): Promise<RawExchange> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error('raw exchange timed out')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    // A server that closes before reading the whole body may reset the connection: keep what came.
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err)));
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      const end = raw.indexOf('\r\n\r\n');
      const lines = raw.slice(0, end === -1 ? raw.length : end).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(lines[0]?.split(' ')[1] ?? 0), raw, headers });
    });
    const lines = [...head];
    if (!lines.some((l) => /^connection:/i.test(l))) lines.push('Connection: close');
    socket.write(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
    socket.end(body);
  });
}
