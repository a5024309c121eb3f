// The JSON schemas (components.schemas) of the model server's OpenAPI document.
import { FEATURES } from './dataset.js';
import { MAX_ROWS } from './input.js';

/** A reference to one of `schemas`. */
export const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });

const row = {
  type: 'array',
  description: FEATURES.join(', ') + ' (cm)',
  items: { type: 'number' },
  minItems: FEATURES.length,
  maxItems: FEATURES.length,
};

export const schemas = {
  Error: { type: 'object', required: ['detail'], properties: { detail: { type: 'string' } } },
  AuthError: {
    type: 'object',
    required: ['detail'],
    properties: {
      detail: { type: 'string', enum: ['Bearer token required', 'Invalid bearer token', 'Bearer token expired', 'Bearer token revoked'] },
      error: { type: 'string', enum: ['invalid_token'] },
    },
  },
  ScopeError: {
    type: 'object',
    required: ['detail', 'error', 'scope'],
    properties: {
      detail: { const: 'Insufficient scope' },
      error: { const: 'insufficient_scope' },
      scope: { type: 'string', description: 'The scope(s) the operation needs, space-separated', examples: ['models:predict'] },
    },
  },
  Link: { type: 'object', properties: { rel: { type: 'string' }, type: { type: 'string' }, href: { type: 'string' } } },
  Version: {
    type: 'object',
    required: ['version', 'id', 'links'],
    properties: { version: { type: 'string' }, id: { type: 'string' }, links: { type: 'array', items: ref('Link') } },
  },
  Versions: {
    type: 'object',
    properties: { versions: { type: 'array', items: ref('Version') }, links: { type: 'array', items: ref('Link') } },
  },
  ModelMeta: {
    type: 'object',
    required: ['id', 'name'],
    properties: {
      ...Object.fromEntries(
        ['id', 'name', 'description', 'summary', 'license', 'author', 'version', 'url'].map((key) => [key, { type: 'string' }]),
      ),
      links: { type: 'array', items: ref('Link') },
    },
  },
  Models: { type: 'object', properties: { models: { type: 'array', items: ref('ModelMeta') } } },
  PredictJson: {
    type: 'object',
    required: ['data'],
    additionalProperties: false,
    properties: { data: { type: 'array', minItems: 1, maxItems: MAX_ROWS, items: row } },
    examples: [{ data: [[5.1, 3.5, 1.4, 0.2], [6.3, 3.3, 6.0, 2.5]] }],
  },
  PredictCsvUpload: {
    type: 'object',
    required: ['data'],
    properties: {
      data: {
        type: 'string',
        contentMediaType: 'text/csv',
        description: `CSV file (at most 1 MB, ${MAX_ROWS} rows), 4 columns, optional header row: ${FEATURES.join(',')}`,
      },
    },
  },
  Prediction: {
    type: 'object',
    required: ['label', 'probabilities'],
    properties: {
      label: { type: 'string', enum: ['setosa', 'versicolor', 'virginica'] },
      probabilities: { type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: 1 } },
    },
  },
  PredictResponse: {
    type: 'object',
    required: ['status', 'predictions'],
    properties: { status: { const: 'OK' }, predictions: { type: 'array', items: ref('Prediction') } },
  },
  TrainArgs: {
    type: 'object',
    additionalProperties: false,
    properties: {
      n_estimators: { type: 'integer', minimum: 1, maximum: 1000, default: 20 },
      seed: { type: 'integer', minimum: 0, maximum: 2147483647, default: 42 },
      test_size: { type: 'number', minimum: 0.1, maximum: 0.5, default: 0.3 },
    },
  },
  Training: {
    type: 'object',
    required: ['date', 'args', 'uuid', 'status'],
    properties: {
      date: { type: 'string', format: 'date-time' },
      args: ref('TrainArgs'),
      uuid: { type: 'string', format: 'uuid' },
      status: { type: 'string', enum: ['running', 'done', 'error', 'cancelled'] },
      finish_date: { type: 'string', format: 'date-time' },
      result: { type: 'object', properties: { accuracy: { type: 'number' }, n_train: { type: 'integer' }, n_test: { type: 'integer' }, n_estimators: { type: 'integer' } } },
      message: { type: 'string' },
    },
  },
};
