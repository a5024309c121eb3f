// The scope each group of routes requires: used by the routes (requireScopes) and the OpenAPI document.

/** `models:read` lists models and reads metadata, `models:predict` predicts, `models:train` trains. */
export const SCOPES = Object.freeze({
  read: 'models:read',
  predict: 'models:predict',
  train: 'models:train',
} as const);

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];
