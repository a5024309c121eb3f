// The protected model routes: list, metadata and predict (JSON, multipart CSV upload or text/csv).
import type { Express, Request, RequestHandler } from 'express';
import { requireScopes } from 'bearer-guard';
import { isType, predictBody } from './body-parsers.js';
import { HttpError } from './errors.js';
import { decodeCsv, rowsFromCsv, rowsFromJson } from './input.js';
import { baseUrl } from './links.js';
import { MODEL_NAME, modelMeta, type IrisForest } from './model.js';
import { SCOPES } from './scopes.js';

/** 404 for any model but ours; runs after the guard and the scope check, before any body is read. */
export const knownModel: RequestHandler = (req, _res, next) => {
  const name = req.params['name'];
  if (name !== MODEL_NAME) {
    throw new HttpError(404, `Model not found: ${JSON.stringify(String(name).slice(0, 100))}`);
  }
  next();
};

/** The rows to predict, from whichever body parser ran. */
function inputRows(req: Request): number[][] {
  if (isType(req, 'application/json')) return rowsFromJson(req.body);
  if (req.file !== undefined) return rowsFromCsv(decodeCsv(req.file.buffer));
  const body: unknown = req.body;
  if (typeof body === 'string') return rowsFromCsv(body);
  const field = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  if (typeof field === 'string') return rowsFromCsv(field);
  throw new HttpError(422, 'Missing form field "data": upload the CSV file as data=@file.csv');
}

export function addModelRoutes(app: Express, forest: IrisForest): void {
  // The scope check comes first on each route: a key without the scope gets 403 before the model
  // name is looked at and before any body is read (no `100 Continue` either).
  const canRead = requireScopes(SCOPES.read);
  const canPredict = requireScopes(SCOPES.predict);

  app.get('/v2/models/', canRead, (req, res) => {
    res.json({ models: [modelMeta(baseUrl(req))] });
  });

  app.get('/v2/models/:name', canRead, knownModel, (req, res) => {
    res.json(modelMeta(baseUrl(req)));
  });

  app.post('/v2/models/:name/predict', canPredict, knownModel, predictBody, (req, res) => {
    const rows = inputRows(req);
    res.json({ status: 'OK', predictions: forest.predict(rows) });
  });
}
