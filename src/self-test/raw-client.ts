// A raw-socket HTTP/1.1 exchange: the request bytes go out exactly as given (no normalisation,
// no header merging) and the response is read until the server closes the connection.
import { connect } from 'node:net';

/** What came back for one request. */
export interface RawReply {
  /** Final status code; 0 when the server closed without a parsable response. */
  readonly status: number;
  /** Lower-cased header names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** Body as latin1 text, de-chunked. */
  readonly body: string;
  /** The whole response as received (interim responses included), as latin1 text. */
  readonly raw: string;
  /** Set when no response came: `closed` (no bytes), `timeout`, or a socket error code. */
  readonly failure?: string;
}

/**
 * Sends `bytes` to 127.0.0.1:`port` and resolves with the response. Never rejects: socket
 * errors and timeouts are reported in {@link RawReply.failure}.
 *
 * @param port - loopback port
 * @param bytes - the whole request, which should ask for `Connection: close`
 * @param timeoutMs - give up after this long without the connection closing
 * @param onConnect - receives the local port once connected, so the server side can be matched
 */
export function exchange(port: number, bytes: Buffer, timeoutMs = 5000, onConnect?: (localPort: number) => void): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => onConnect?.(socket.localPort ?? 0));
    const chunks: Buffer[] = [];
    let failure: string | undefined;
    socket.setTimeout(timeoutMs, () => {
      failure = 'timeout';
      socket.destroy();
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      failure ??= err.code ?? 'error';
    });
    socket.on('close', () => resolve(parseReply(Buffer.concat(chunks).toString('latin1'), failure)));
    socket.end(bytes);
  });
}

/** Parses a raw HTTP/1.1 response, skipping interim 1xx responses. */
export function parseReply(raw: string, failure?: string): RawReply {
  let text = raw;
  for (;;) {
    const end = text.indexOf('\r\n\r\n');
    if (end === -1) return { status: 0, headers: {}, body: '', raw, failure: failure ?? (text === '' ? 'closed' : 'incomplete') };
    const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
    const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(statusLine)?.[1] ?? 0);
    if (status >= 100 && status < 200 && status !== 101) {
      text = text.slice(end + 4);
      continue;
    }
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const i = line.indexOf(':');
      const name = line.slice(0, i).trim().toLowerCase();
      const value = line.slice(i + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    let body = text.slice(end + 4);
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
    return failure === undefined ? { status, headers, body, raw } : { status, headers, body, raw, failure };
  }
}

function dechunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const nl = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, nl), 16);
    if (!(size > 0)) return out;
    out += rest.slice(nl + 2, nl + 2 + size);
    rest = rest.slice(nl + 2 + size + 2);
  }
}
