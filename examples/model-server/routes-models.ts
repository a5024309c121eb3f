// The protected model routes: list, metadata and predict (JSON, multipart CSV upload or text/csv).
import type { Express, Request, RequestHandler } from 'express';
import { isType, predictBody } from './body-parsers.js';
import { HttpError } from './errors.js';
import { decodeCsv, rowsFromCsv, rowsFromJson } from './input.js';
import { baseUrl } from './links.js';
import { MODEL_NAME, modelMeta, type IrisForest } from './model.js';

/** 404 for any model but ours; runs after the guard and before any body is read. */
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
  app.get('/v2/models/', (req, res) => {
    res.json({ models: [modelMeta(baseUrl(req))] });
  });

  app.get('/v2/models/:name', knownModel, (req, res) => {
    res.json(modelMeta(baseUrl(req)));
  });

  app.post('/v2/models/:name/predict', knownModel, predictBody, (req, res) => {
    const rows = inputRows(req);
    res.json({ status: 'OK', predictions: forest.predict(rows) });
  });
}
