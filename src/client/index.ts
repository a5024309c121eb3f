// Public surface of `bearer-guard/client`: only re-exports. It loads no express, passport or convict.

/** The client: `createClient({ context })`, then `fetch`, `whoami` and `predict`. */
export { createClient, type BearerGuardClient, type ClientOptions, type PredictInput, type Identity } from './client.js';
/** The one error the client throws, with a code to switch on. */
export { BearerGuardClientError, type BearerGuardClientErrorCode, type TokenRejection, type ClientErrorDetails } from './errors.js';
/** Where `bearer-guard login` saves credentials, for tools that want to show it. */
export { contextsFilePath, configDir } from './location.js';
/** Where credentials came from. */
export type { CredentialsSource } from './resolve.js';
