// The OpenAPI 3.1 document of the model server: HTTPBearer on protected operations, each with its 401, its scope and its 403.
// Adding an operation is one line under `paths`: open(...) for a public one, guarded(...) for the rest.
import { MODEL_NAME } from './model.js';
import { ENROLLMENT_PATH, enrollmentPathItem } from './openapi-enrollment.js';
import { ref, schemas } from './openapi-schemas.js';
import { SCOPES, type Scope } from './scopes.js';

const jsonBody = (schema: object): object => ({ content: { 'application/json': { schema } } });
const errorResponse = (description: string): object => ({ description, ...jsonBody(ref('Error')) });
const ok = (schema: object, description = 'OK'): object => ({ description, ...jsonBody(schema) });

const nameParam = { name: 'name', in: 'path', required: true, schema: { type: 'string', examples: [MODEL_NAME] } };
const uuidParam = { name: 'uuid', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

const unauthorized = {
  description: 'Missing, invalid, expired or revoked bearer token',
  headers: {
    'WWW-Authenticate': {
      description: 'Bearer challenge, e.g. Bearer realm="api", error="invalid_token"',
      schema: { type: 'string' },
    },
  },
  ...jsonBody(ref('AuthError')),
};

/** The 403 of an operation that needs `scope`: the refusal body and challenge that name it. */
function forbidden(scope: Scope): object {
  return {
    description: `The key is valid but lacks the scope ${scope}`,
    headers: {
      'WWW-Authenticate': {
        description: `Bearer challenge naming the scope: Bearer realm="api", error="insufficient_scope", scope="${scope}"`,
        schema: { type: 'string' },
      },
    },
    content: {
      'application/json': {
        schema: ref('ScopeError'),
        example: { detail: 'Insufficient scope', error: 'insufficient_scope', scope },
      },
    },
  };
}

/** A public operation: `security: []` (no token), no 401; only a malformed request fails. */
function open(operationId: string, summary: string, schema: object): object {
  return { operationId, summary, security: [], responses: { 200: ok(schema), '4XX': errorResponse('A malformed request') } };
}

/**
 * A protected operation: bearer token required, 401 declared with its body and challenge; the
 * key must also hold `scope` (named in the description and in `x-required-scopes`), else 403.
 */
function guarded(operationId: string, summary: string, scope: Scope, responses: Record<string, object>, extra: object = {}): object {
  return {
    operationId,
    summary,
    description: `Requires a bearer token whose key holds the scope \`${scope}\` (or \`models:*\`, or \`*\`; the single --auth-bearer-token has \`*\`).`,
    'x-required-scopes': [scope],
    security: [{ HTTPBearer: [] }],
    ...extra,
    responses: { ...responses, 401: unauthorized, 403: forbidden(scope) },
  };
}

/** The header of a governed action (required when the server's posture is prod). */
const approvalHeader = {
  name: 'Approval-Credential',
  in: 'header',
  required: false,
  description:
    'An approval credential `<payload_b64url>.<signature_b64url>` for this environment, this exact JSON body (none counts as `{}`) and `models:train`, made with `bearer-guard approval sign`. ' +
    'Required when the server runs with posture prod: without it the answer is 403 `{"detail":"Approval required","error":"approval_required","capability":"models:train"}`, ' +
    'and a refused one gets 403 `{"detail":"Approval credential rejected","error":"approval_invalid","reason":"..."}`.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$' },
};

/** What whoami answers: the caller's key, never its token or digest. */
const identity = {
  type: 'object',
  required: ['id', 'name', 'family', 'scopes', 'expires_at'],
  properties: {
    id: { type: 'string', examples: ['key_qkzvbwhtmrxa', 'token'] },
    name: { type: 'string' },
    family: { type: 'string', enum: ['user', 'service', 'agent'] },
    scopes: { type: 'array', items: { type: 'string' } },
    expires_at: { type: ['string', 'null'], format: 'date-time' },
    agent_id: { type: 'string' },
    environment: { type: 'string' },
  },
};

const notFound = errorResponse('Unknown model or training');
const badInput = errorResponse('Invalid input');

/**
 * Builds the document. `serverUrl` is where clients reach the server: the configured public base
 * URL, else the listen address, else `/` (same origin as the document); never the Host header.
 */
export function openApiDocument(serverUrl: string): object {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Iris model server (DEEPaaS v2 API)',
      version: '1.0.0',
      description: 'A random forest trained on the iris data, served through the DEEPaaS v2 API and protected by bearer-guard.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: serverUrl }],
    paths: {
      '/': { get: open('getVersions', 'API versions', ref('Versions')) },
      '/v2/': { get: open('getVersion', 'Version 2 of the API', ref('Version')) },
      '/openapi.json': { get: open('getOpenApi', 'This document', { type: 'object' }) },
      '/v2/models/': { get: guarded('listModels', 'List the models', SCOPES.read, { 200: ok(ref('Models')) }) },
      '/v2/auth/whoami': {
        get: {
          operationId: 'whoami',
          summary: 'Who is calling: the identity of the bearer token (never the token)',
          description: 'Requires a bearer token; no scope of its own. `bearer-guard login` checks a token here before saving it.',
          security: [{ HTTPBearer: [] }],
          responses: { 200: ok(identity), 401: unauthorized },
        },
      },
      '/v2/models/{name}': {
        get: guarded('getModel', 'Model metadata', SCOPES.read, { 200: ok(ref('ModelMeta')), 404: notFound }, { parameters: [nameParam] }),
      },
      '/v2/models/{name}/predict': {
        post: guarded(
          'predict',
          'Predict iris species for rows of measurements',
          SCOPES.predict,
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
          'startTraining',
          'Start training a new forest in the background',
          SCOPES.train,
          { 201: ok(ref('Training'), 'Training started'), 404: notFound, 415: errorResponse('Unsupported Content-Type'), 422: badInput, 429: errorResponse('Too many trainings running') },
          { parameters: [nameParam, approvalHeader], requestBody: { required: false, ...jsonBody(ref('TrainArgs')) } },
        ),
        get: guarded('listTrainings', 'List the trainings', SCOPES.train, { 200: ok({ type: 'array', items: ref('Training') }), 404: notFound }, { parameters: [nameParam] }),
      },
      '/v2/models/{name}/train/{uuid}': {
        get: guarded('getTraining', 'One training', SCOPES.train, { 200: ok(ref('Training')), 404: notFound }, { parameters: [nameParam, uuidParam] }),
        delete: guarded('cancelTraining', 'Cancel (if running) and remove a training', SCOPES.train, { 200: ok(ref('Training')), 404: notFound }, { parameters: [nameParam, uuidParam] }),
      },
      [ENROLLMENT_PATH]: enrollmentPathItem,
    },
    components: {
      securitySchemes: { HTTPBearer: { type: 'http', scheme: 'bearer' } },
      schemas,
    },
  };
}
