// A raw-socket HTTP/1.1 client: sends the request bytes exactly as given (no normalisation, no merging).
import { connect } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { parseReply } from '../../src/self-test/raw-client.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends `head` (request line and header lines, without the final blank line) plus an optional
 * body, with `Connection: close`, and reads the whole response.
 */
export function rawRequest(server: Server, head: string[], body = ''): Promise<RawResponse> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      try {
        resolve(parse(Buffer.concat(chunks).toString('latin1')));
      } catch (err) {
        reject(err as Error);
      }
    });
    const lines = [...head];
    if (!lines.some((l) => /^connection:/i.test(l))) lines.push('Connection: close');
    socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');
  });
}

function parse(text: string): RawResponse {
  const reply = parseReply(text);
  if (reply.failure !== undefined) throw new Error(`incomplete response: ${JSON.stringify(text.slice(0, 200))}`);
  return { status: reply.status, headers: { ...reply.headers }, body: reply.body };
}
