// The one result of authenticating or authorizing a request, shared by the middleware and the passport strategy.
import type { BearerAuth } from '../keys/principal.js';
import type { PreparedFailure } from './respond.js';

/**
 * Allowed (a principal, no failure) or refused (the prepared response, and the key when the
 * whole correct token was presented). Allowed outcomes are built once per key and refusals once
 * per realm, so the common paths allocate nothing.
 * @internal
 */
export type Outcome =
  | { readonly principal: BearerAuth; readonly failure?: undefined }
  | { readonly failure: PreparedFailure; readonly principal?: BearerAuth | undefined };
