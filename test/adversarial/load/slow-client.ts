/**
 * Raw-socket clients that misbehave slowly or break off: one that trickles its request a few
 * bytes at a time, and one that drops the connection part-way through. Requests carry no
 * `Connection: close` of their own unless the caller adds it.
 */
import { connect } from 'node:net';
import type { RawResponse } from '../../helpers/raw-http.js';
import { parse } from './hostile-client.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Writes `request` to 127.0.0.1:`port` in slices of `step` bytes, `delayMs` apart (the whole
 * request at once when `step` is Infinity), then reads until the server closes or `timeoutMs`.
 */
export function sendRequest(port: number, request: string, step = Infinity, delayMs = 0, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.setNoDelay(true);
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no complete response within ${timeoutMs} ms`)));
    socket.on('data', (c: Buffer) => received.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const res = parse(Buffer.concat(received).toString('latin1'));
      if (res) resolve(res);
      else reject(new Error(`incomplete response: ${JSON.stringify(Buffer.concat(received).toString('latin1').slice(0, 200))}`));
    });
    socket.once('connect', () => {
      void (async () => {
        for (let i = 0; i < request.length && !socket.destroyed; i += step) {
          socket.write(request.slice(i, i + step), 'latin1');
          if (delayMs > 0) await sleep(delayMs);
        }
      })();
    });
  });
}

/**
 * Writes `bytes`, waits until they have left this process and `lingerMs` more (so the server
 * has read them), then destroys the socket. Resolves with whatever the server answered meanwhile.
 */
export function sendAndDrop(port: number, bytes: string | Buffer, lingerMs = 100): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (c: Buffer) => received.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(received).toString('latin1')));
    socket.once('connect', () => {
      socket.write(bytes, () => void setTimeout(() => socket.destroy(), lingerMs));
    });
  });
}
