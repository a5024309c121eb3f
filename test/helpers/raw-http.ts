// A raw-socket HTTP/1.1 client for tests: sends the request bytes exactly as given (no
// normalisation, no merging), on top of the self-test's exchange().
import type { AddressInfo, Server } from 'node:net';
import { exchange } from '../../src/self-test/raw-client.js';

export interface RawResponse {
  status: number;
  /** Lower-cased header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
  /** The whole response as received, as latin1 text (for searching). */
  raw: string;
}

/**
 * Sends `head` (request line and header lines, without the final blank line) plus an optional
 * body, with `Connection: close`, and reads the whole response. A connection reset after a
 * complete response still resolves; no response at all (or a timeout) rejects.
 */
export async function rawRequest(server: Server, head: readonly string[], body: string | Buffer = ''): Promise<RawResponse> {
  const reply = await exchange((server.address() as AddressInfo).port, requestBytes(head, body));
  if (reply.status === 0) throw new Error(`no response (${reply.failure ?? 'closed'}): ${JSON.stringify(reply.raw.slice(0, 200))}`);
  return { status: reply.status, headers: { ...reply.headers }, body: reply.body, raw: reply.raw };
}

/** The bytes of a request: `head` lines, `Connection: close` unless given, a blank line, `body`. */
export function requestBytes(head: readonly string[], body: string | Buffer = ''): Buffer {
  const lines = [...head];
  if (!lines.some((l) => /^connection:/i.test(l))) lines.push('Connection: close');
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), typeof body === 'string' ? Buffer.from(body, 'latin1') : body]);
}
