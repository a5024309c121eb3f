// The enrollment operation of the OpenAPI document: POST /v2/agents, answered by bearer-guard itself (not by a route of this app).

/** Where the example enables enrollment (with a keys file). */
export const ENROLLMENT_PATH = '/v2/agents';

const json = (schema: object, example?: object): object => ({ content: { 'application/json': { schema, ...(example && { example }) } } });
const noStore = { 'Cache-Control': { description: 'Always no-store', schema: { const: 'no-store' } } };
const challenge = { 'WWW-Authenticate': { description: 'Bearer challenge, e.g. Bearer realm="api", error="invalid_token"', schema: { type: 'string' } } };
const refusal = (description: string, example: object): object => ({
  description,
  headers: { ...noStore, ...challenge },
  ...json({ type: 'object', required: ['detail'], properties: { detail: { type: 'string' }, error: { type: 'string' }, scope: { type: 'string' } } }, example),
});
const plain = (description: string, example: object): object => ({ description, headers: noStore, ...json({ type: 'object', required: ['detail'], properties: { detail: { type: 'string' }, error: { type: 'string' } } }, example) });

/** The path item of the enrollment endpoint. */
export const enrollmentPathItem = {
  post: {
    operationId: 'enrollAgent',
    summary: 'Enroll an agent: trade a one-time enrollment token for the agent\'s own runtime key',
    description: 'Answered by bearer-guard itself when the server runs with a keys file. The bearer token must be an enrollment token (bge_..., from `bearer-guard keys create --family enroll`) bound to this server\'s environment. Each call uses the token once; the runtime key (bga_...) is returned once, here, and works at once.',
    security: [{ HTTPBearer: [] }],
    requestBody: {
      required: false,
      ...json({ type: 'object', additionalProperties: false, properties: { name: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } } }, { name: 'edge-01' }),
    },
    responses: {
      201: {
        description: 'Enrolled: the agent\'s runtime key, shown this once',
        headers: noStore,
        ...json({
          type: 'object',
          required: ['agent_id', 'api_key', 'environment', 'scopes', 'name'],
          properties: {
            agent_id: { type: 'string', pattern: '^agt_[a-z]{12}$' },
            api_key: { type: 'string', pattern: '^bga_[0-9A-Za-z]{49}$' },
            environment: { type: 'string' },
            scopes: { type: 'array', items: { type: 'string' } },
            name: { type: 'string' },
          },
        }, { agent_id: 'agt_rfwnzcdqlmop', api_key: 'bga_EXAMPLE000000000000000000000000000000000000000000' /* shape only: never a working key */, environment: 'prod', scopes: ['models:predict'], name: 'edge-01' }),
      },
      400: plain('The body is not empty or {"name": "..."} with a valid name', { detail: 'Enrollment body must be empty or JSON {"name": "..."} with a name of 1 to 64 characters from A-Z a-z 0-9 . _ -', error: 'invalid_request' }),
      401: refusal('Missing, invalid, expired, revoked, used-up or wrong-environment enrollment token', { detail: 'Enrollment token already used', error: 'invalid_token' }),
      403: refusal('A valid key of another family', { detail: 'Enrollment requires an enrollment token', error: 'insufficient_scope', scope: 'agent:enroll' }),
      405: plain('Only POST is answered', { detail: 'Method not allowed; enroll with POST' }),
      413: plain('The body is over 1 KiB', { detail: 'Enrollment body too large (at most 1024 bytes)', error: 'invalid_request' }),
    },
  },
};
