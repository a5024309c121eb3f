// Builds the Express app: the bearer guard first, then the DEEPaaS v2 routes, then JSON 404 and error handlers.
import express from 'express';
import type { Express } from 'express';
import { bearerGuard } from 'bearer-guard';
import { jsonErrors, notFound } from './errors.js';
import { createDefaultForest, type IrisForest } from './model.js';
import { addModelRoutes } from './routes-models.js';
import { addPublicRoutes, PUBLIC_PATHS } from './routes-public.js';
import { addTrainingRoutes } from './routes-train.js';
import { TrainingJobs } from './training.js';

export interface AppOptions {
  /** Command line to read the token options from, shaped like `process.argv` (default: process.argv). */
  argv?: readonly string[] | undefined;
  /** The forest to serve (default: 50 trees trained on the iris data at start-up). */
  forest?: IrisForest | undefined;
  /** Where trainings run (default: a new TrainingJobs); pass one to `cancelAll()` it on shutdown. */
  jobs?: TrainingJobs | undefined;
}

/**
 * Creates the app. Throws (with a message that never contains the token) when the token
 * configuration is invalid, before any model is trained.
 */
export function createApp(options: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');

  // The one line: every route below needs `Authorization: Bearer <token>`, except PUBLIC_PATHS.
  // It comes before any body parser, so an unauthenticated upload is refused without being read.
  app.use(bearerGuard({ envPrefix: 'DEEPAAS_', public: [...PUBLIC_PATHS], argv: options.argv }));

  const forest = options.forest ?? createDefaultForest();
  addPublicRoutes(app);
  addModelRoutes(app, forest);
  addTrainingRoutes(app, options.jobs ?? new TrainingJobs());
  app.use(notFound);
  app.use(jsonErrors);
  return app;
}
