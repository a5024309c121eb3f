// The protected training routes (DEEPaaS 2.x): start, list, show and cancel background trainings.
import type { Express } from 'express';
import { requireApproval, requireScopes } from 'bearer-guard';
import { optionalJsonBody } from './body-parsers.js';
import { HttpError } from './errors.js';
import { baseUrl } from './links.js';
import { MODEL_NAME } from './model.js';
import { knownModel } from './routes-models.js';
import { SCOPES } from './scopes.js';
import { parseTrainArgs, type Training, type TrainingJobs } from './training.js';

/** The training `uuid` of the URL ("" when it is not a single string, which matches no training). */
function uuidOf(params: Record<string, string | string[]>): string {
  const uuid = params['uuid'];
  return typeof uuid === 'string' ? uuid : '';
}

function found(training: Training | undefined): Training {
  if (training === undefined) throw new HttpError(404, 'Training not found');
  return training;
}

export function addTrainingRoutes(app: Express, jobs: TrainingJobs): void {
  // Every training route needs `models:train`, checked before the model name and the body.
  const canTrain = requireScopes(SCOPES.train);
  // Training in production is a governed action: it also needs an approval credential signed by
  // an approver for this environment, this exact JSON body (no body counts as {}) and models:train.
  const approved = requireApproval({ capability: SCOPES.train, spec: (req) => (req as { body?: unknown }).body ?? {}, postures: ['prod'] });

  app.post('/v2/models/:name/train', canTrain, knownModel, optionalJsonBody, approved, (req, res) => {
    const training = jobs.start(parseTrainArgs(req.body));
    res.status(201).location(`${baseUrl(req)}/v2/models/${MODEL_NAME}/train/${training.uuid}`).json(training);
  });

  app.get('/v2/models/:name/train', canTrain, knownModel, (_req, res) => {
    res.json(jobs.list());
  });

  app.get('/v2/models/:name/train/:uuid', canTrain, knownModel, (req, res) => {
    res.json(found(jobs.get(uuidOf(req.params))));
  });

  app.delete('/v2/models/:name/train/:uuid', canTrain, knownModel, (req, res) => {
    res.json(found(jobs.cancel(uuidOf(req.params))));
  });
}
