// Authenticate: the token from the header -> the key's principal, or the refusal (with verify() as the fallback).
import type { IncomingMessage } from 'node:http';
import type { BearerGuardLogger } from '../config/options.js';
import type { ResolvedCheckOptions } from '../config/resolve.js';
import { hasKeyPrefix, hasValidChecksum } from '../keys/format.js';
import { FileKeyStore } from '../keys/file-store.js';
import type { KeyRecord, KeyringChange } from '../keys/keyring.js';
import { createLiveKeyring } from '../keys/live-keyring.js';
import type { Issuer } from '../keys/principal.js';
import type { KeyStore } from '../keys/store.js';
import type { AuditSink } from '../audit/event.js';
import { createApprovalContext } from '../approval/context.js';
import type { EnrollRequest, EnrollResult } from '../keys/enroll.js';
import { resolveEnvironment } from './enrollment-setup.js';
import { resolveKeySources } from './key-sources.js';
import type { AuthConfig } from '../config/load.js';
import { logWarnings } from '../config/log-warnings.js';
import type { ServerEnvironment } from './environment-context.js';
import type { Outcome } from './outcome.js';
import { HeaderProblem, readBearerToken } from './read-credentials.js';
import { judgeIdentity } from './judge-identity.js';
import { prepareFailures } from './respond.js';
import { openRedisKeys, type RedisKeys } from '../keys/redis-keys.js';
import { DEFAULT_RETRY_AFTER_SECONDS, prepareStoreUnavailable } from './store-unavailable.js';

/** What the middleware and the strategy share: start-up work done, and the per-request call. @internal */
export interface Authenticator {
  /** 'off' only when nothing at all is configured; revoking every key never turns it off. */
  readonly mode: 'on' | 'off';
  readonly realm: string;
  readonly logger: BearerGuardLogger;
  readonly audit: AuditSink | undefined;
  /** What principals (and auth-off requests) carry to requireScopes and requireApproval. */
  readonly issuer: Issuer;
  /** Synchronous unless verify() runs or the keyring is still loading. */
  authenticate(req: IncomingMessage): Outcome | Promise<Outcome>;
  /** Where the server runs, when `environment` or its posture is configured. */
  readonly environment: ServerEnvironment | undefined;
  /** The configuration loaded from argv, env and the INI file; undefined when the token was given in code. */
  readonly config: AuthConfig | undefined;
  /** The enrollment endpoint's path, when configured (only bearerGuard() answers it). */
  readonly enrollmentPath: string | undefined;
  /**
   * Synchronous unless verify() runs or the keyring is still loading. `anyFamily` (the
   * enrollment endpoint) skips the family rule and verify(): the caller checks the family.
   */
  authenticate(req: IncomingMessage, anyFamily?: boolean): Outcome | Promise<Outcome>;
  /** The store's enroll(), when it has one. */
  readonly enroll: ((request: EnrollRequest) => Promise<EnrollResult>) | undefined;
  reload(): Promise<KeyringChange>;
  /** The guard's Redis, when the keys come from it: the throttle shares it once it is connected. */
  readonly redis: { readonly connected: Promise<unknown>; readonly prefix: string; readonly resyncIntervalMs: number } | undefined;
  /** Settles once the first keyring is in force; rejects with the start-up error when it cannot be loaded. */
  readonly ready: Promise<void>;
  /** Stops the watchers and closes the key store (Redis connections); never rejects. */
  close(): Promise<void>;
}

/**
 * Resolves the keys (the `token` option, or the configuration; the keys file or store), logs the
 * start-up warnings, and precomputes everything the per-request path needs.
 * @internal
 */
export function createAuthenticator(o: ResolvedCheckOptions): Authenticator {
  const { warnings, legacy, keysFile, tokenFile, approvalKeys, loaded, redisSetup, config } = resolveKeySources(o);
  const logger = o.logger;
  let store: KeyStore | undefined = o.keyStore;
  if (keysFile !== undefined) store = new FileKeyStore(keysFile);
  // Redis connects in the background; the keyring (and `ready`) follow once it answers.
  const redis: RedisKeys | undefined = redisSetup === undefined ? undefined : openRedisKeys(redisSetup, logger);
  if (redis !== undefined) store = redis.store;
  const closeStore = async (): Promise<void> => {
    await Promise.resolve(store?.close?.()).catch(() => undefined);
  };
  let approvals: ReturnType<typeof createApprovalContext> | undefined;
  let live: ReturnType<typeof createLiveKeyring>;
  let environment: ReturnType<typeof resolveEnvironment>['environment'];
  let enrollmentPath: string | undefined;
  let issuer: Issuer;
  try {
    ({ environment, enrollmentPath } = resolveEnvironment(o.fn, loaded, store));
    // With Redis, an approval is used once across every replica.
    approvals = approvalKeys === undefined ? undefined : createApprovalContext(approvalKeys[0], approvalKeys[1], logger, redis?.replay);
    issuer = Object.freeze({ realm: o.realm, audit: o.audit, logger, approvals });
    live = createLiveKeyring(issuer, legacy, store, logger, tokenFile);
  } catch (err) {
    approvals?.keys.close();
    // Only what the guard opened: a keyStore the app gave stays the app's.
    void redis?.store.close?.();
    throw err;
  }
  logWarnings(logger, warnings);
  const mode = legacy.length > 0 || store !== undefined || o.verify !== undefined ? 'on' : 'off';
  const failures = prepareFailures(o.realm);
  // Refusals without a key are built once: the refusing path allocates nothing.
  const refuse = Object.freeze({
    missing: Object.freeze({ failure: failures.missing }),
    invalidRequest: Object.freeze({ failure: failures.invalidRequest }),
    invalidToken: Object.freeze({ failure: failures.invalidToken }),
    unknownKey: Object.freeze({ failure: failures.unknownKey }),
    unavailable: Object.freeze({ failure: prepareStoreUnavailable(redis?.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS) }),
  });
  const available = store?.available?.bind(store);
  const touch = store?.touch?.bind(store);
  const families = o.families;
  const verify = o.verify;
  const maxLength = o.maxTokenLength;

  const serverEnv = environment?.name;
  // Revoked, expired, environment, then family: each is said only to the holder of the whole token.
  const judge = (record: KeyRecord, anyFamily: boolean): Outcome => {
    if (record.deadline !== Infinity) {
      const now = Date.now();
      if (now >= record.revokedAtMs) return { failure: failures.revoked, principal: record.principal };
      if (now >= record.expiresAtMs) return { failure: failures.expired, principal: record.principal };
    }
    if (record.environment !== undefined && record.environment !== serverEnv) return { failure: failures.wrongEnvironment, principal: record.principal };
    if (!anyFamily && !families.has(record.family)) return { failure: failures.wrongFamily, principal: record.principal };
    return record.allow;
  };

  const fromVerify = async (token: string, req: IncomingMessage): Promise<Outcome> => {
    const identity = await verify!(token, req);
    if (identity === null || identity === undefined) return refuse.unknownKey;
    return judgeIdentity(issuer, identity, families, failures);
  };

  const authenticate = (req: IncomingMessage, anyFamily = false): Outcome | Promise<Outcome> => {
    const token = readBearerToken(req, maxLength);
    if (typeof token !== 'string') {
      return token === HeaderProblem.Missing ? refuse.missing
        : token === HeaderProblem.Ambiguous ? refuse.invalidRequest
        : refuse.invalidToken;
    }
    // Our prefixes are reserved: a truncated or mistyped key is refused before any lookup.
    if (hasKeyPrefix(token) && !hasValidChecksum(token)) return refuse.invalidToken;
    const keyring = live.current();
    // Before the first keyring: wait for it; if it could not be loaded, 503 (a reload may still bring it).
    if (keyring === undefined) return live.ready.then(() => authenticate(req, anyFamily), () => live.current() === undefined ? refuse.unavailable : authenticate(req, anyFamily));
    if (available !== undefined && !available()) return refuse.unavailable;
    const record = keyring.find(token);
    if (record !== undefined) {
      const outcome = judge(record, anyFamily);
      if (touch !== undefined && outcome.failure === undefined) touch(outcome.principal.id, Date.now());
      return outcome;
    }
    return verify === undefined || anyFamily ? refuse.unknownKey : fromVerify(token, req);
  };

  return {
    mode,
    realm: o.realm,
    logger,
    audit: o.audit,
    issuer,
    environment,
    config,
    enrollmentPath,
    authenticate,
    enroll: store?.enroll?.bind(store),
    reload: () => {
      // The approval keys are re-read too; their failure is logged and keeps the last good set.
      approvals?.keys.refresh();
      return live.reload();
    },
    ready: live.ready,
    redis: redis === undefined ? undefined : Object.freeze({ connected: redis.connected, prefix: redisSetup!.prefix, resyncIntervalMs: redisSetup!.resyncInterval * 1000 }),
    close: async () => {
      live.close();
      approvals?.keys.close();
      await closeStore();
    },
  };
}
