// The OpenAPI 3.1 document of the model server: HTTPBearer on protected operations, each with its 401.
import { MODEL_NAME } from './model.js';
import { ref, schemas } from './openapi-schemas.js';

const jsonBody = (schema: object): object => ({ content: { 'application/json': { schema } } });
const errorResponse = (description: string): object => ({ description, ...jsonBody(ref('Error')) });
const ok = (schema: object, description = 'OK'): object => ({ description, ...jsonBody(schema) });

const nameParam = { name: 'name', in: 'path', required: true, schema: { type: 'string', examples: [MODEL_NAME] } };
const uuidParam = { name: 'uuid', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

const unauthorized = {
  description: 'Missing or invalid bearer token',
  headers: {
    'WWW-Authenticate': {
      description: 'Bearer challenge, e.g. Bearer realm="api", error="invalid_token"',
      schema: { type: 'string' },
    },
  },
  ...jsonBody(ref('AuthError')),
};

/** A public operation: no `security`, no 401. */
function open(summary: string, schema: object): object {
  return { summary, responses: { 200: ok(schema) } };
}

/** A protected operation: bearer token required, 401 declared with its body and challenge. */
function guarded(summary: string, responses: Record<string, object>, extra: object = {}): object {
  return {
    summary,
    security: [{ HTTPBearer: [] }],
    ...extra,
    responses: { ...responses, 401: unauthorized },
  };
}

const notFound = errorResponse('Unknown model or training');
const badInput = errorResponse('Invalid input');

/** Builds the document; `serverUrl` is the base URL the client used. */
export function openApiDocument(serverUrl: string): object {
  return {
    openapi: '3.1.0',
    info: { title: 'Iris model server (DEEPaaS v2 API)', version: '1.0.0' },
    servers: [{ url: serverUrl }],
    paths: {
      '/': { get: open('API versions', ref('Versions')) },
      '/v2/': { get: open('Version 2 of the API', ref('Version')) },
      '/openapi.json': { get: open('This document', { type: 'object' }) },
      '/v2/models/': { get: guarded('List the models', { 200: ok(ref('Models')) }) },
      '/v2/models/{name}': {
        get: guarded('Model metadata', { 200: ok(ref('ModelMeta')), 404: notFound }, { parameters: [nameParam] }),
      },
      '/v2/models/{name}/predict': {
        post: guarded(
          'Predict iris species for rows of measurements',
          { 200: ok(ref('PredictResponse')), 400: badInput, 404: notFound, 413: errorResponse('Body or file too large'), 415: errorResponse('Unsupported Content-Type'), 422: badInput },
          {
            parameters: [nameParam],
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: ref('PredictJson') },
                'multipart/form-data': { schema: ref('PredictCsvUpload') },
                'text/csv': { schema: { type: 'string' } },
              },
            },
          },
        ),
      },
      '/v2/models/{name}/train': {
        post: guarded(
          'Start training a new forest in the background',
          { 201: ok(ref('Training'), 'Training started'), 404: notFound, 415: errorResponse('Unsupported Content-Type'), 422: badInput, 429: errorResponse('Too many trainings running') },
          { parameters: [nameParam], requestBody: { required: false, ...jsonBody(ref('TrainArgs')) } },
        ),
        get: guarded('List the trainings', { 200: ok({ type: 'array', items: ref('Training') }), 404: notFound }, { parameters: [nameParam] }),
      },
      '/v2/models/{name}/train/{uuid}': {
        get: guarded('One training', { 200: ok(ref('Training')), 404: notFound }, { parameters: [nameParam, uuidParam] }),
        delete: guarded('Cancel (if running) and remove a training', { 200: ok(ref('Training')), 404: notFound }, { parameters: [nameParam, uuidParam] }),
      },
    },
    components: {
      securitySchemes: { HTTPBearer: { type: 'http', scheme: 'bearer' } },
      schemas,
    },
  };
}
