// Marks requests that a guard with auth off let through, so that requireScopes lets them through too,
// and keeps that guard's issuer, so that requireApproval still finds its approval keys and audit sink.
import type { IncomingMessage } from 'node:http';
import type { Issuer } from '../keys/principal.js';

const authOff = new WeakMap<IncomingMessage, Issuer | undefined>();

/** @internal */
export function markAuthOff(req: IncomingMessage, issuer?: Issuer): void {
  authOff.set(req, issuer);
}

/** @internal */
export function isAuthOff(req: IncomingMessage): boolean {
  return authOff.has(req);
}

/** The issuer of the auth-off guard that let `req` through. @internal */
export function authOffIssuer(req: IncomingMessage): Issuer | undefined {
  return authOff.get(req);
}
