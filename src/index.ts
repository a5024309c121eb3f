// Public surface of bearer-guard. Only re-exports: each line says why it is public.

/** The one line: `app.use(bearerGuard())`, with `reload()` and `close()`. */
export { bearerGuard, type BearerGuardMiddleware } from './middleware/bearer-guard.js';
/** A route answering the caller's identity, for `bearer-guard login` and the client: `app.get('/v2/auth/whoami', whoami())`. */
export { whoami, type WhoamiHandler, type WhoamiBody } from './request/whoami.js';
/** Per-route scopes after the guard: `requireScopes('models:predict')`. */
export { requireScopes, type RequireScopesMiddleware } from './request/authorize.js';
/** `Expect: 100-continue` answered only after the guard let the request in. */
export { deferContinue } from './middleware/expect-continue.js';
/** For apps that already authenticate with passport. */
export { createBearerStrategy, type BearerGuardStrategy, type BearerIdentity } from './middleware/passport-strategy.js';
/** Who is calling (`req.auth`), and what a `verify` callback returns. */
export type { BearerAuth, AuthIdentity } from './keys/principal.js';
/** Keys: the stored shape, families, the store interface for your own database, and the in-memory store. */
export { MemoryKeyStore, type KeyStore } from './keys/store.js';
export { KEY_FAMILIES, type KeyEntry, type KeyFamily } from './keys/types.js';
/** What `reload()` reports. */
export type { KeyringChange } from './keys/keyring.js';
/** Audit events and where they go. */
export type { AuditEvent, AuditReason, AuditSink } from './audit/event.js';
/** For apps that compose their own configuration. */
export { loadAuthConfig, type AuthConfig } from './config/load.js';
/** The type of `AuthConfig.token`, with its `reveal()`. */
export { Secret } from './safety/secret.js';
/** Options types, so callers can build options objects with checking. */
export type { BearerGuardOptions, BearerCheckOptions, LoadAuthConfigOptions, BearerGuardLogger } from './config/options.js';
/** The base class of every error bearer-guard makes. */
export { BearerGuardError } from './errors/base.js';
/** Start-up errors and warnings, with codes to switch on. */
export {
  BearerGuardConfigError,
  type BearerGuardErrorCode,
  type BearerGuardWarning,
  type BearerGuardWarningCode,
} from './errors/startup.js';
/** RFC 6750 request refusals: status, code, body and challenge of each. */
export {
  BearerAuthError,
  MissingTokenError,
  InvalidTokenError,
  InvalidRequestError,
  InsufficientScopeError,
  type BearerFailureCode,
  type BearerFailureBody,
} from './errors/refusals.js';
/** For users' own CI: proves no route of their app is reachable without a valid token. */
export {
  selfTest,
  formatSelfTestReport,
  type SelfTestOptions,
  type SelfTestReport,
  type SelfTestFinding,
} from './self-test/self-test.js';
