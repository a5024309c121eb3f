// Compile-only type tests of the public surface. Checked by `npm run typecheck`
// (tsconfig.json includes test/); never run: the file name does not match the test glob
// `test/*.test.ts`, and everything sits in a function that is never called.
//
// Express 4: `express4` (the npm alias of express@4) ships no types and no @types/express@4 is
// installed (@types/express is v5): on its own, `import express4 from 'express4'` fails with
// TS7016. test/helpers/express4.d.ts maps it onto Express 5's types, so an `app4.use(...)` line
// here would only repeat the Express 5 check. The Express 4 type check is therefore skipped;
// Express 4 is covered at run time by the unit tests.
import express from 'express';
import type { RequestHandler } from 'express';
import { Passport } from 'passport';
import {
  BearerGuardConfigError,
  InsufficientScopeError,
  InvalidTokenError,
  MemoryKeyStore,
  Secret,
  bearerGuard,
  createBearerStrategy,
  loadAuthConfig,
  requireApproval,
  requireFamily,
  requireScopes,
  specHash,
} from '../src/index.js';
import type {
  AuthConfig,
  BearerFailureCode,
  BearerFailureBody,
  BearerGuardErrorCode,
  BearerGuardMiddleware,
  BearerGuardOptions,
  BearerGuardStrategy,
  BearerGuardWarningCode,
  BearerIdentity,
  InvalidRequestError,
  LoadAuthConfigOptions,
  MissingTokenError,
  AuditEvent,
  AuditReason,
  BearerAuth,
  BearerGuardError,
  KeyEntry,
  KeyFamily,
  KeyringChange,
  KeyStore,
  BearerGuardRedisOptions,
  RedisClientLike,
} from '../src/index.js';
import type { Redis } from 'ioredis';

/** `true` only when A and B are the same type (not merely mutually assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export function typeTests(): void {
  // --- bearerGuard() on an Express 5 app -------------------------------------------------
  const app = express();
  app.use(bearerGuard());
  app.use('/api', bearerGuard({ token: 'x' }));
  express.Router().use(bearerGuard());
  const asHandler: RequestHandler = bearerGuard();
  const _mw: BearerGuardMiddleware = bearerGuard();

  // --- options ---------------------------------------------------------------------------
  bearerGuard({ token: 'x', public: ['/'] });
  bearerGuard({ token: ['a', 'b'], realm: 'api', logger: console, public: [] });
  bearerGuard({ token: undefined, public: undefined }); // undefined counts as absent
  bearerGuard({ argv: ['node', 'server', '--auth-bearer-token-file', '/run/t'], env: {}, envPrefix: 'DEEPAAS_' });
  const frozenPublic: readonly string[] = Object.freeze(['/', '/v2/']);
  const options: BearerGuardOptions = { public: frozenPublic, required: true, maxTokenLength: 128 };
  bearerGuard(options);
  // @ts-expect-error -- misspelt option
  bearerGuard({ publik: [] });
  // @ts-expect-error -- public is a list of paths, not one path
  bearerGuard({ public: '/' });
  // @ts-expect-error -- tokens are strings
  bearerGuard({ token: 1 });
  // @ts-expect-error -- the logger needs warn(message)
  bearerGuard({ logger: {} });

  // --- named keys, scopes, audit --------------------------------------------------------
  const store: KeyStore = new MemoryKeyStore([]);
  const dbStore: KeyStore = { description: 'db', list: async (): Promise<KeyEntry[]> => [] };
  bearerGuard({ keyStore: store, families: ['user', 'service'], keysFile: undefined });
  bearerGuard({ keyStore: dbStore, verify: async (token, req) => (token.length > 0 && req.method === 'GET' ? { name: 'oauth', scopes: ['models:read'] } : null) });
  bearerGuard({ keysFile: '/etc/keys.json', audit: (e: AuditEvent) => void e.reason, verify: () => null });
  bearerGuard({ audit: { info: (e: AuditEvent) => void e.outcome, warn: (e: AuditEvent) => void e.status } });
  // @ts-expect-error -- enrollment tokens are never accepted on a guarded route
  bearerGuard({ families: ['enroll'] });
  // @ts-expect-error -- verify resolves an identity with a name, or null
  bearerGuard({ verify: async () => ({ scopes: [] }) });
  app.post('/v2/models/:name/predict', requireScopes('models:predict'), (_req, res) => void res.json({}));
  app.get('/v2/models/', requireScopes('models:read', 'models:list'));
  bearerGuard({ approvalKeys: '/etc/approvers.jwks' });
  bearerGuard({ approvalKeys: { keys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'k1', x: '...' }] } });
  app.post('/v2/models/:name/train', express.json(), requireApproval({ capability: 'models:train', spec: (req) => (req as express.Request).body as object, postures: ['prod'], maxLifetime: '1h' }));
  // @ts-expect-error -- an approval is bound to a spec
  requireApproval({ capability: 'models:train' });
  // @ts-expect-error -- postures are dev, staging or prod
  requireApproval({ capability: 'models:train', spec: () => 'x', postures: ['production'] });
  const _hash: string = specHash({ n_estimators: 10 }) + specHash('raw') + specHash(Buffer.from('x'));
  app.delete('/v2/models/:name', requireFamily('user'), requireScopes('models:write'));
  bearerGuard({ keysFile: '/etc/keys.json', environment: 'prod', environmentPosture: 'prod', enrollment: { path: '/v2/agents' } });
  // @ts-expect-error -- the posture is dev, staging or prod
  bearerGuard({ environmentPosture: 'production' });
  // @ts-expect-error -- the enrollment endpoint is an object with a path
  bearerGuard({ enrollment: '/v2/agents' });
  const reloaded: Promise<KeyringChange> = bearerGuard().reload();
  void reloaded.then((c) => c.added.length + c.removed.length + c.changed.length + c.size);
  bearerGuard().close();
  // close() may be ignored (as before) or awaited; ready settles once the first keyring is in force.
  const closed: Promise<void> = bearerGuard().close();
  const ready: Promise<void> = bearerGuard().ready;
  const strategyReady: Promise<void> = createBearerStrategy().ready;
  void [closed, ready, strategyReady];
  // The redis option: a URL, an ioredis client (assignable to the structural type), or the object form.
  const ioredisClient = null as unknown as Redis;
  const asClient: RedisClientLike = ioredisClient;
  bearerGuard({ redis: 'redis://127.0.0.1:6379/0' });
  bearerGuard({ redis: ioredisClient });
  bearerGuard({ redis: { client: asClient, prefix: 'models:', resyncInterval: 5, maxStaleness: 60 } });
  const redisOptions: BearerGuardRedisOptions = { url: 'redis://127.0.0.1:6379/0' };
  createBearerStrategy({ redis: redisOptions });
  // @ts-expect-error a number is not a Redis option
  bearerGuard({ redis: 6379 });
  // @ts-expect-error resyncInterval is seconds, a number
  bearerGuard({ redis: { url: 'redis://x', resyncInterval: '5' } });
  const _authShape: Equal<keyof BearerAuth, 'id' | 'name' | 'family' | 'scopes' | 'expiresAt' | 'agentId' | 'environment'> = true;
  const _family: Equal<KeyFamily, 'user' | 'service' | 'agent' | 'enroll'> = true;
  const _identityIsAuth: Equal<BearerIdentity, BearerAuth> = true;
  const _reason: Equal<AuditEvent['reason'], AuditReason> = true;
  const auth = {} as BearerAuth;
  // @ts-expect-error -- req.auth is read-only
  auth.scopes = ['*'];
  const _forbidden: Equal<InsufficientScopeError['code'], 'insufficient_scope'> = true;
  const _base: BearerGuardError = new InsufficientScopeError(['models:read']);
  const _configBase: BearerGuardError = new BearerGuardConfigError('ERR_BEARER_GUARD_KEYS_FILE', 'x');
  void createBearerStrategy().reload();

  // --- createBearerStrategy() with passport ----------------------------------------------
  const strategy: BearerGuardStrategy = createBearerStrategy({ token: 'x', realm: 'api' });
  const passport = new Passport();
  passport.use(strategy.name, createBearerStrategy());
  app.get('/v2/models/', passport.authenticate(createBearerStrategy(), { session: false }), (req, res) => {
    res.json({ user: req.user });
  });
  const _identity: BearerIdentity = { id: 'token', name: 'token', family: 'service', scopes: ['*'], expiresAt: null };
  // @ts-expect-error -- the strategy has no `public`: route choice is the app's
  createBearerStrategy({ public: [] });

  // --- loadAuthConfig() ------------------------------------------------------------------
  const loadOptions: LoadAuthConfigOptions = { argv: ['n', 's'], env: {}, configFile: '/etc/app.ini', required: false };
  const config: AuthConfig = loadAuthConfig(loadOptions);
  // @ts-expect-error -- loadAuthConfig reads tokens from its sources only
  loadAuthConfig({ token: 'x' });
  const _revealed = loadAuthConfig().token?.reveal();
  const _revealedType: Equal<typeof _revealed, string | undefined> = true;
  const _reveal: Equal<ReturnType<Secret['reveal']>, string> = true;
  const _token: Equal<AuthConfig['token'], Secret | undefined> = true;
  const _required: Equal<AuthConfig['required'], boolean> = true;
  const _warningCode: Equal<AuthConfig['warnings'][number]['code'], BearerGuardWarningCode> = true;
  // @ts-expect-error -- readonly
  config.token = new Secret('y');
  // @ts-expect-error -- readonly
  config.tokenSource = 'elsewhere';
  // @ts-expect-error -- readonly
  config.required = false;
  // @ts-expect-error -- readonly
  config.configFile = undefined;
  // @ts-expect-error -- readonly
  config.warnings = [];
  // @ts-expect-error -- readonly array
  config.warnings.push({ code: 'W_BEARER_GUARD_AUTH_OFF', message: '' });

  // --- error codes -----------------------------------------------------------------------
  try {
    loadAuthConfig();
  } catch (err) {
    if (err instanceof BearerGuardConfigError) describe(err.code);
  }

  // --- request failures ------------------------------------------------------------------
  const _failure: Equal<BearerFailureCode, 'missing_token' | 'invalid_token' | 'invalid_request' | 'insufficient_scope'> = true;
  const _missing: Equal<MissingTokenError['code'], 'missing_token'> = true;
  const _invalid: Equal<InvalidTokenError['code'], 'invalid_token'> = true;
  const _request: Equal<InvalidRequestError['code'], 'invalid_request'> = true;
  const _body = new InvalidTokenError().body();
  const _bodyType: Equal<typeof _body, BearerFailureBody> = true;

  return void asHandler;
}

/** Exhaustive: adding a code to BearerGuardErrorCode without a case here fails to compile. */
function describe(code: BearerGuardErrorCode): string {
  switch (code) {
    case 'ERR_BEARER_GUARD_INVALID_OPTION':
    case 'ERR_BEARER_GUARD_UNKNOWN_OPTION':
    case 'ERR_BEARER_GUARD_NOT_CALLED':
    case 'ERR_BEARER_GUARD_INVALID_ARGUMENT':
    case 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT':
      return 'bad options';
    case 'ERR_BEARER_GUARD_UNKNOWN_ENV':
    case 'ERR_BEARER_GUARD_UNPREFIXED_ENV':
    case 'ERR_BEARER_GUARD_EMPTY_VALUE':
    case 'ERR_BEARER_GUARD_CONFLICTING_SOURCES':
    case 'ERR_BEARER_GUARD_INVALID_VALUE':
    case 'ERR_BEARER_GUARD_TOKEN_INVALID':
    case 'ERR_BEARER_GUARD_TOKEN_REQUIRED':
    case 'ERR_BEARER_GUARD_TOKEN_FILE':
    case 'ERR_BEARER_GUARD_CONFIG_FILE':
    case 'ERR_BEARER_GUARD_KEYS_FILE':
    case 'ERR_BEARER_GUARD_APPROVAL_KEYS':
    case 'ERR_BEARER_GUARD_ENROLLMENT':
    case 'ERR_BEARER_GUARD_REDIS':
      return 'bad configuration';
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}
