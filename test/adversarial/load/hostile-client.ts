/**
 * A raw-socket uploader that announces a 10 MB body (Content-Length or chunked, JSON or
 * multipart) and really sends part of it. Its first write carries the head and the body's first
 * `firstBodyBytes`; after that it keeps writing 64 KiB chunks, honouring backpressure, until the
 * server answers or closes or `maxBodyBytes` have gone out, then reads the response and waits for
 * the connection to end. It never sends `Connection: close` itself, so a closed connection is the
 * server's decision.
 *
 * A client that stops after its first write never loses the response: once the kernel has taken
 * that write whole, nothing is left to fail with EPIPE when the server resets the connection. One
 * that is still writing can see EPIPE/ECONNRESET before it reads the 401 (docs/responses.md).
 */
import { connect } from 'node:net';
import { parseReply } from '../../../src/self-test/raw-client.js';
import type { RawResponse } from '../../helpers/raw-http.js';

export const ANNOUNCED = 10 * 1024 * 1024;
export const BOUNDARY = '----hostile-load-boundary-7MA4YWxkTrZu0gW';

export type UploadKind = 'json' | 'multipart';

export interface UploadSpec {
  readonly kind: UploadKind;
  /** `Content-Length: 10485760` (false) or `Transfer-Encoding: chunked` (true). */
  readonly chunked: boolean;
  /** Extra header lines, e.g. an Authorization header. */
  readonly headers: readonly string[];
  /** Body bytes in the first write, with the head (a multiple of 64 KiB). */
  readonly firstBodyBytes: number;
  /** Stop writing the body after this many bytes even if the server has not answered. */
  readonly maxBodyBytes: number;
  /** Give up (end: 'timeout') when the connection is still open after this long; 10 s by default. */
  readonly timeoutMs?: number;
}

export interface UploadOutcome {
  /** The parsed response, or undefined when none arrived. */
  readonly response: RawResponse | undefined;
  /** Body bytes handed to the socket before the response (or the end). */
  readonly bodyBytesSent: number;
  /** Whether the kernel took the first write (head and first body bytes) whole, at once. */
  readonly firstWriteWhole: boolean;
  /** How the connection ended: the server's FIN, a reset/EPIPE, or our timeout. */
  readonly end: 'fin' | 'reset' | 'timeout';
  /** The socket error's code when `end` is 'reset' (EPIPE, ECONNRESET). */
  readonly error: string | undefined;
  readonly ms: number;
}

const FILLER = 64 * 1024;
const fillers: Record<UploadKind, { first: Buffer; rest: Buffer }> = {
  json: filler('{"data":"', 'a'),
  multipart: filler(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="data"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`, '5.1,3.5,1.4,0.2\n'),
};

function filler(prefix: string, unit: string): { first: Buffer; rest: Buffer } {
  const rest = Buffer.from(unit.repeat(Math.ceil(FILLER / unit.length)).slice(0, FILLER));
  return { first: Buffer.concat([Buffer.from(prefix), rest.subarray(prefix.length)]), rest };
}

const CONTENT_TYPES: Record<UploadKind, string> = {
  json: 'application/json',
  multipart: `multipart/form-data; boundary=${BOUNDARY}`,
};

/** Sends one hostile upload to POST `path` on 127.0.0.1:`port`. */
export function hostileUpload(port: number, path: string, spec: UploadSpec): Promise<UploadOutcome> {
  const started = Date.now();
  const head = [
    `POST ${path} HTTP/1.1`, 'Host: localhost', `Content-Type: ${CONTENT_TYPES[spec.kind]}`,
    spec.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${ANNOUNCED}`,
    ...spec.headers, '', '',
  ].join('\r\n');
  const { first, rest } = fillers[spec.kind];
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let sent = 0;
    let firstWriteWhole = false;
    let answered = false;
    let end: UploadOutcome['end'] = 'fin';
    let error: string | undefined;
    socket.setNoDelay(true);
    socket.setTimeout(spec.timeoutMs ?? 10_000, () => {
      end = 'timeout';
      socket.destroy();
    });
    socket.on('data', (c: Buffer) => {
      answered = true;
      received.push(c);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (end === 'fin') end = 'reset';
      error = err.code ?? err.message;
    });
    socket.on('close', () => {
      const text = Buffer.concat(received).toString('latin1');
      resolve({ response: text ? parse(text) : undefined, bodyBytesSent: sent, firstWriteWhole, end, error, ms: Date.now() - started });
    });
    const frame = (chunk: Buffer): Buffer[] => (spec.chunked ? [Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')] : [chunk]);
    const nextChunk = (): Buffer => {
      const chunk = sent === 0 ? first : rest;
      sent += chunk.length;
      return chunk;
    };
    const pump = (): void => {
      while (!answered && !socket.destroyed && sent < spec.maxBodyBytes) {
        const chunk = nextChunk();
        if (!socket.write(spec.chunked ? Buffer.concat(frame(chunk)) : chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    socket.once('connect', () => {
      const parts: Buffer[] = [Buffer.from(head)];
      while (sent < spec.firstBodyBytes) parts.push(...frame(nextChunk()));
      socket.write(Buffer.concat(parts));
      firstWriteWhole = socket.writableLength === 0;
      pump();
    });
  });
}

/** Parses the response a connection received (undefined when there is none). */
export function parse(text: string): RawResponse | undefined {
  const reply = parseReply(text);
  return reply.status === 0 ? undefined : { status: reply.status, headers: { ...reply.headers }, body: reply.body, raw: reply.raw };
}
