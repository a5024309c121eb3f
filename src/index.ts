// Public surface of bearer-guard. Only re-exports: each line says why it is public.

/** The one line: `app.use(bearerGuard())`, with `reload()` and `close()`. */
export { bearerGuard, type BearerGuardMiddleware } from './middleware/bearer-guard.js';
/** A route answering the caller's identity, for `bearer-guard login` and the client: `app.get('/v2/auth/whoami', whoami())`. */
export { whoami, type WhoamiHandler, type WhoamiBody } from './request/whoami.js';
/** Per-route scopes after the guard: `requireScopes('models:predict')`. */
export { requireScopes, type RequireScopesMiddleware } from './request/authorize.js';
/** Per-route key families after the guard: `requireFamily('user')` (a route only people may call). */
export { requireFamily } from './request/require-family.js';
/** `Expect: 100-continue` answered only after the guard let the request in (or, opted in, just before the body is read). */
export { deferContinue, sendContinue, type DeferContinueOptions, type ContinueMoment } from './middleware/expect-continue.js';
/** For apps that already authenticate with passport. */
export { createBearerStrategy, type BearerGuardStrategy, type BearerIdentity } from './middleware/passport-strategy.js';
/** Who is calling (`req.auth`), and what a `verify` callback returns. */
export type { BearerAuth, AuthIdentity } from './keys/principal.js';
/** Keys: the stored shape, families, the store interface for your own database, and the in-memory store. */
export { MemoryKeyStore, type KeyStore } from './keys/store.js';
/** Enrollment for your own store: the step to run in its transaction, and what it is given and gives. */
export { enrollInEntries, type EnrollRequest, type EnrollResult, type EnrollRefusal } from './keys/enroll.js';
export { KEY_FAMILIES, type KeyEntry, type KeyFamily } from './keys/types.js';
/** What `reload()` reports. */
export type { KeyringChange } from './keys/keyring.js';
/** Audit events and where they go. */
export type { AuditEvent, AuditReason, AuditSink } from './audit/event.js';
/** The flags bearer-guard reads from argv, for apps that refuse unknown arguments (the example server). */
export { BEARER_GUARD_FLAGS, type BearerGuardFlag } from './config/flags.js';
/** For apps that compose their own configuration. */
export { loadAuthConfig, type AuthConfig } from './config/load.js';
/** The type of `AuthConfig.token`, with its `reveal()`. */
export { Secret } from './safety/secret.js';
/** The brute-force throttle: the `throttle` option's type, the settings in force (`guard.throttle`), and their one-line description for start-up output. */
export { describeThrottle, type ThrottleOption, type ThrottleSettings } from './throttle/settings.js';
/** Options types, so callers can build options objects with checking. */
export type { BearerGuardOptions, BearerCheckOptions, LoadAuthConfigOptions, BearerGuardLogger } from './config/options.js';
/** The `redis` option's object form and the ioredis client it accepts (typed structurally: ioredis stays optional). */
export type { BearerGuardRedisOptions, RedisClientLike } from './config/options.js';
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
  FamilyNotAllowedError,
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
  type SelfTestFindingKind,
} from './self-test/self-test.js';
/** Governed actions: route middleware that requires a signed approval credential bound to the environment, the spec and a capability. */
export { requireApproval, type RequireApprovalMiddleware } from './approval/require-approval.js';
export type { RequireApprovalOptions } from './approval/options.js';
/** The approval credential's payload and refusal reasons, and the spec hash an approval is bound to (for approvers' own tooling). */
export type { ApprovalPayload } from './approval/payload.js';
export type { ApprovalReason } from './approval/verify.js';
export { specHash, type ApprovalSpec } from './approval/spec-hash.js';
/** The server environment a guard runs in (`environment`, `environmentPosture`), which requireApproval checks approvals against. */
export type { ServerEnvironment, EnvironmentPosture } from './request/environment-context.js';
