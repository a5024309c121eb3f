// JSON errors: an HttpError type, the final 404 handler and an error handler that never sends HTML or stacks.
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';

/** An error that becomes `{"detail": message}` with the given status. */
export class HttpError extends Error {
  readonly status: number;

  constructor(status: number, detail: string) {
    super(detail);
    this.name = 'HttpError';
    this.status = status;
  }
}

/** Fixed messages for body-parser failures (their own messages can quote the body). */
const BODY_PARSER_ERRORS: Readonly<Record<string, [number, string]>> = {
  'entity.parse.failed': [400, 'The request body is not valid JSON'],
  'entity.too.large': [413, 'The request body is too large'],
  'request.size.invalid': [400, 'The request body does not match its Content-Length'],
  'request.aborted': [400, 'The request was aborted'],
  'encoding.unsupported': [415, 'Unsupported Content-Encoding'],
  'charset.unsupported': [415, 'Unsupported charset'],
};

function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (typeof err === 'object' && err !== null) {
    const { type, status } = err as { type?: unknown; status?: unknown };
    const known = typeof type === 'string' ? BODY_PARSER_ERRORS[type] : undefined;
    if (known !== undefined) return new HttpError(known[0], known[1]);
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return new HttpError(status, STATUS_CODES[status] ?? 'Bad request');
    }
  }
  return new HttpError(500, 'Internal server error');
}

/** The last route: anything unmatched is a JSON 404. */
export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json({ detail: 'Not found' });
};

/** The last middleware: every error becomes `{"detail": ...}`; 5xx details stay on the server. */
export const jsonErrors: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const error = toHttpError(err);
  if (error.status >= 500) {
    // Name and message only: no stack, no headers, no request data (nothing that could hold a token).
    const name = err instanceof Error ? err.name : typeof err;
    const message = err instanceof Error ? err.message : '';
    process.stderr.write(`model server: internal error on ${req.method} ${req.path}: ${name}: ${message}\n`);
  }
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  res.status(error.status).json({ detail: error.message });
};
