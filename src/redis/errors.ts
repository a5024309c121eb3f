// Redis failures as messages may name them: an error code or name, never a URL, password or reply text.
import { BearerGuardConfigError } from '../errors/startup.js';

/**
 * A short, secret-free name for a Redis failure: the socket error code (`ECONNREFUSED`), the
 * Redis error's first word (`WRONGPASS`, `NOAUTH`, `LOADING`), or the error's class name.
 *
 * @param err - what ioredis threw or emitted
 * @returns e.g. `ECONNREFUSED`
 */
export function redisErrorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  if (err instanceof Error) {
    const word = /^([A-Z][A-Z0-9_]{2,30})\b/.exec(err.message)?.[1];
    if (word !== undefined && err.name === 'ReplyError') return word;
    if (/timed? ?out/i.test(err.message)) return 'ETIMEDOUT';
    if (/unknown RESP|protocol error/i.test(err.message)) return 'EPROTO (not a Redis server?)';
    if (/connection is closed|stream isn't writeable|max retries/i.test(err.message)) return 'ECONNCLOSED';
    return err.name;
  }
  return typeof err;
}

/** A start-up style error with code `ERR_BEARER_GUARD_REDIS`. @internal */
export function redisError(message: string): BearerGuardConfigError {
  return new BearerGuardConfigError('ERR_BEARER_GUARD_REDIS', message);
}

/**
 * `promise`, or a rejection with code `ETIMEDOUT` after `ms` (a paused Redis keeps the socket
 * open and never answers, so every call that must not hang has a deadline).
 * @internal
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`Redis did not answer within ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
