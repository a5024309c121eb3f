// Public surface of bearer-guard. Only re-exports: each line says why it is public.

/** The one line: `app.use(bearerGuard())`. */
export { bearerGuard, type BearerGuardMiddleware } from './middleware/bearer-guard.js';
/** `Expect: 100-continue` answered only after the guard let the request in. */
export { deferContinue } from './middleware/expect-continue.js';
/** For apps that already authenticate with passport. */
export { createBearerStrategy, type BearerGuardStrategy, type BearerIdentity } from './middleware/passport-strategy.js';
/** For apps that compose their own configuration. */
export { loadAuthConfig, type AuthConfig } from './config/load.js';
/** The type of `AuthConfig.token`, with its `reveal()`. */
export { Secret } from './safety/secret.js';
/** Options types, so callers can build options objects with checking. */
export type { BearerGuardOptions, BearerCheckOptions, LoadAuthConfigOptions, BearerGuardLogger } from './config/options.js';
/** Start-up errors and warnings, with codes to switch on. */
export {
  BearerGuardConfigError,
  type BearerGuardErrorCode,
  type BearerGuardWarning,
  type BearerGuardWarningCode,
} from './errors/startup.js';
/** RFC 6750 request failures: status, code, body and challenge of each refusal. */
export {
  BearerAuthError,
  MissingTokenError,
  InvalidTokenError,
  InvalidRequestError,
  type BearerFailureCode,
} from './errors/refusals.js';
/** For users' own CI: proves no route of their app is reachable without a valid token. */
export {
  selfTest,
  formatSelfTestReport,
  type SelfTestOptions,
  type SelfTestReport,
  type SelfTestFinding,
} from './self-test/self-test.js';
