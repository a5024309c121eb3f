// Per-route body parsers (JSON, multipart CSV upload, text/csv), used only on routes behind the guard.
import express from 'express';
import multer from 'multer';
import type { Request, RequestHandler } from 'express';
import { sendContinue } from 'bearer-guard';
import { HttpError } from './errors.js';

/** Largest accepted request body or uploaded file. */
export const MAX_BODY_BYTES = 1024 * 1024;

const json = express.json({ limit: MAX_BODY_BYTES, type: 'application/json' });
const csvText = express.text({ limit: MAX_BODY_BYTES, type: 'text/csv' });
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_BODY_BYTES, fieldSize: MAX_BODY_BYTES, files: 1, fields: 1, parts: 2 },
}).single('data');

const MULTER_ERRORS: Readonly<Record<string, [number, string]>> = {
  LIMIT_FILE_SIZE: [413, `The uploaded file is too large (at most ${MAX_BODY_BYTES} bytes)`],
  LIMIT_FIELD_VALUE: [413, `The form field is too large (at most ${MAX_BODY_BYTES} bytes)`],
  LIMIT_UNEXPECTED_FILE: [422, 'Unexpected file field: send the CSV file in the form field "data"'],
  LIMIT_FILE_COUNT: [422, 'Send exactly one file, in the form field "data"'],
  LIMIT_PART_COUNT: [422, 'Too many form fields: send only the field "data"'],
  LIMIT_FIELD_COUNT: [422, 'Too many form fields: send only the field "data"'],
};

/** multer, with its errors (and busboy's parse errors) turned into JSON HttpErrors. */
const uploadCsv: RequestHandler = (req, res, next) => {
  upload(req, res, (err: unknown) => {
    if (err === undefined || err === null) {
      next();
    } else if (err instanceof multer.MulterError) {
      const [status, detail] = MULTER_ERRORS[err.code] ?? [422, 'Invalid multipart form data'];
      next(new HttpError(status, detail));
    } else {
      next(new HttpError(400, 'Malformed multipart form data'));
    }
  });
};

/** True when the request carries no body at all (no length, or a length of 0). */
export function hasNoBody(req: Request): boolean {
  const length = req.headers['content-length'];
  if (req.headers['transfer-encoding'] !== undefined) return false;
  return length === undefined || length.trim() === '0';
}

/** True when the request has a body of this media type. */
export function isType(req: Request, type: string): boolean {
  return typeof req.is(type) === 'string';
}

/**
 * Reads a predict body by its Content-Type: application/json, multipart/form-data (file or
 * text field "data") or text/csv. No body -> 422; any other type -> 415.
 */
export const predictBody: RequestHandler = (req, res, next) => {
  if (hasNoBody(req)) {
    next(new HttpError(422, 'No input: send JSON {"data": [[...], ...]} or a CSV file in the form field "data"'));
  } else if (isType(req, 'application/json')) {
    sendContinue(req, res);
    json(req, res, next);
  } else if (isType(req, 'multipart/form-data')) {
    sendContinue(req, res);
    uploadCsv(req, res, next);
  } else if (isType(req, 'text/csv')) {
    sendContinue(req, res);
    csvText(req, res, next);
  } else {
    next(new HttpError(415, 'Unsupported Content-Type: use application/json, multipart/form-data or text/csv'));
  }
};

/** Reads an optional JSON body (training arguments); no body is fine, another type is 415. */
export const optionalJsonBody: RequestHandler = (req, res, next) => {
  if (hasNoBody(req)) {
    next();
  } else if (isType(req, 'application/json')) {
    sendContinue(req, res);
    json(req, res, next);
  } else {
    next(new HttpError(415, 'Unsupported Content-Type: training arguments must be application/json'));
  }
};
