// Marks requests that a guard with auth off let through, so that requireScopes lets them through too.
import type { IncomingMessage } from 'node:http';

const authOff = new WeakSet<IncomingMessage>();

/** @internal */
export function markAuthOff(req: IncomingMessage): void {
  authOff.add(req);
}

/** @internal */
export function isAuthOff(req: IncomingMessage): boolean {
  return authOff.has(req);
}
