// Builds the Express app: the bearer guard first, then the DEEPaaS v2 routes (each with its scope), then JSON 405, 404 and error handlers.
import express from 'express';
import type { Express } from 'express';
import { bearerGuard, loadAuthConfig, whoami } from 'bearer-guard';
import { ENROLLMENT_PATH } from './openapi-enrollment.js';
import type { AuditSink, BearerGuardMiddleware } from 'bearer-guard';
import { jsonErrors, notFound } from './errors.js';
import { methodNotAllowed } from './method-not-allowed.js';
import { createDefaultForest, type IrisForest } from './model.js';
import { addModelRoutes } from './routes-models.js';
import { addPublicRoutes, PUBLIC_PATHS } from './routes-public.js';
import { addTrainingRoutes } from './routes-train.js';
import { TrainingJobs } from './training.js';

export interface AppOptions {
  /**
   * Command line to read the token options from, shaped like `process.argv` (default:
   * process.argv): `--auth-bearer-token`, `--auth-bearer-token-file`, `--auth-keys-file`, `--auth-redis-url`,
   * `--config-file`, `--auth-environment`, `--auth-environment-posture`, `--auth-enrollment-path`;
   * the guard also reads the `DEEPAAS_AUTH_*` env vars.
   */
  argv?: readonly string[] | undefined;
  /** The forest to serve (default: 50 trees trained on the iris data at start-up). */
  forest?: IrisForest | undefined;
  /** Where trainings run (default: a new TrainingJobs); pass one to `cancelAll()` it on shutdown. */
  jobs?: TrainingJobs | undefined;
  /** Where the guard's audit events go: a function or a pino logger (default: nowhere). */
  audit?: AuditSink | undefined;
  /**
   * The public base URL (`--base-url`, without a trailing `/`) that links in responses start with.
   * Default: none, links are relative (`/v2/`). Never taken from the Host header.
   */
  baseUrl?: string | undefined;
}

/** The app, with the guard it is protected by (for `guard.reload()` on SIGHUP and `guard.close()`). */
export type ModelServerApp = Express & { readonly guard: BearerGuardMiddleware };

/**
 * Creates the app. Throws (with a message that never contains the token) when the token or keys
 * configuration is invalid (a keys file that cannot be read, say), before any model is trained.
 */
export function createApp(options: AppOptions = {}): ModelServerApp {
  const app = express();
  app.disable('x-powered-by');
  if (options.baseUrl !== undefined) app.locals['baseUrl'] = options.baseUrl;

  // The one line: every route below needs `Authorization: Bearer <token>`, except PUBLIC_PATHS.
  // It comes before any body parser, so an unauthenticated upload is refused without being read.
  // Each protected route then checks its scope with requireScopes() (the single token has "*").
  // With a keys file or Redis (--auth-redis-url), agents enroll at POST /v2/agents (answered by the guard itself; move it with
  // --auth-enrollment-path). The environment comes from --auth-environment / DEEPAAS_AUTH_ENVIRONMENT.
  const sources = { envPrefix: 'DEEPAAS_', argv: options.argv };
  const config = loadAuthConfig(sources);
  const enrollment = config.keysFile === undefined && config.redisUrl === undefined ? undefined : { path: ENROLLMENT_PATH };
  // Brute-force throttle on (50 failed attempts per minute from one IP, then 429 for 5 minutes),
  // unless --no-auth-throttle or DEEPAAS_AUTH_THROTTLE=false turns it off.
  const guard = bearerGuard({ ...sources, public: [...PUBLIC_PATHS], audit: options.audit, enrollment, throttle: true });
  app.use(guard);

  const forest = options.forest ?? createDefaultForest();
  addPublicRoutes(app);
  // Who is calling (no scope of its own): what `bearer-guard login` checks a token against.
  app.get('/v2/auth/whoami', whoami());
  addModelRoutes(app, forest);
  addTrainingRoutes(app, options.jobs ?? new TrainingJobs());
  app.use(methodNotAllowed(app));
  app.use(notFound);
  app.use(jsonErrors);
  return Object.defineProperty(app, 'guard', { value: guard, enumerable: true }) as ModelServerApp;
}
