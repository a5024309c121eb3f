// Reports an error thrown inside the check without anything that could echo the request.
import type { BearerGuardLogger } from '../config/options.js';
import { mayContainToken } from './redact.js';

/**
 * Reports an exception thrown inside the check without its message, which could echo input.
 * Never throws: it runs on the fail-closed path, and an error escaping it would reach Express's
 * error handler, which prints stacks (and, outside production, puts them in the response).
 * @internal
 */
export function reportInternalError(logger: BearerGuardLogger, err: unknown): void {
  let what = 'a value that could not be inspected';
  try {
    what = describeThrown(err);
  } catch {
    // A Proxy or a throwing getter: say nothing about it.
  }
  try {
    logger.warn(`bearer-guard: error inside the token check (${what}); the request was refused with 500`);
  } catch {
    // A failing logger must not turn the refusal into an error.
  }
}

const SAFE_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const SAFE_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

// The class name and code, each only when shaped like one (TypeError, ERR_INVALID_ARG_TYPE):
// they are as free-form as the message.
function describeThrown(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const name: unknown = err.name;
  const code: unknown = (err as { code?: unknown }).code;
  const shownName = typeof name === 'string' && SAFE_NAME.test(name) && !mayContainToken(name) ? name : 'Error';
  const shownCode = typeof code === 'string' && SAFE_CODE.test(code) && !mayContainToken(code) ? ` ${code}` : '';
  return `${shownName}${shownCode}`;
}
