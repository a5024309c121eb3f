// The enrollment request's body: at most 1 KiB, read by the guard itself, optional JSON {"name": "..."}.
import type { IncomingMessage } from 'node:http';

/** The most bytes of body the enrollment endpoint reads. @internal */
export const MAX_ENROLLMENT_BODY = 1024;

/** What an agent's name must be. @internal */
export const AGENT_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** The name asked for (undefined when the body is empty or has none), or what is wrong with the body. @internal */
export type EnrollmentBody = { readonly name: string | undefined; readonly problem?: undefined } | { readonly problem: 'too_large' | 'invalid' };

const INVALID: EnrollmentBody = Object.freeze({ problem: 'invalid' });
const TOO_LARGE: EnrollmentBody = Object.freeze({ problem: 'too_large' });

/**
 * Reads the body, refusing more than {@link MAX_ENROLLMENT_BODY} bytes (a larger
 * `Content-Length` is refused before reading), and parses it: empty, or a JSON object with at
 * most the one field `name` (1 to 64 characters of `A-Za-z0-9._-`). A body some parser already
 * read is taken from `req.body`.
 * @internal
 */
export function readEnrollmentBody(req: IncomingMessage): Promise<EnrollmentBody> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && !(Number(declared) <= MAX_ENROLLMENT_BODY)) return Promise.resolve(TOO_LARGE);
  if (req.readableEnded) return Promise.resolve(parseParsed((req as { body?: unknown }).body));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: EnrollmentBody): void => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_ENROLLMENT_BODY) done(TOO_LARGE);
      else chunks.push(chunk);
    };
    const onEnd = (): void => done(parse(Buffer.concat(chunks)));
    const onError = (err: unknown): void => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      reject(err);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

function parse(bytes: Buffer): EnrollmentBody {
  const text = bytes.toString('utf8');
  if (text.trim() === '') return { name: undefined };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return INVALID;
  }
  return parseParsed(data);
}

function parseParsed(data: unknown): EnrollmentBody {
  if (data === undefined) return { name: undefined };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return INVALID;
  const keys = Object.keys(data);
  if (keys.length === 0) return { name: undefined };
  if (keys.length > 1 || keys[0] !== 'name') return INVALID;
  const name = (data as { name: unknown }).name;
  return typeof name === 'string' && AGENT_NAME.test(name) ? { name } : INVALID;
}
