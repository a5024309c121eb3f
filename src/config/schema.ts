// The convict schema: one private instance per load, fed the layers in precedence order.
import convict from 'convict';

/** One layer of settings, as the INI keys name them. @internal */
export interface Layer {
  auth_bearer_token?: string;
  auth_required?: boolean;
}

/**
 * Merges layers with convict, lowest precedence first, and validates the result strictly.
 * convict is given no args and no env: its own parser mangles values (reference.md s5), so the
 * sources are read by argv.ts, env.ts and ini-file.ts and handed over here.
 *
 * @param layers - from lowest to highest precedence
 * @returns the merged token ('' when unset) and required flag
 * @internal
 */
export function mergeLayers(layers: readonly Layer[]): { token: string; required: boolean } {
  const config = convict(
    {
      auth_bearer_token: {
        doc: 'Bearer token that protected routes require; empty turns auth off.',
        format: String,
        default: '',
        sensitive: true,
      },
      auth_required: {
        doc: 'Refuse to start without a token.',
        format: Boolean,
        default: false,
      },
    },
    { args: [], env: {} },
  );
  for (const layer of layers) config.load(layer);
  config.validate({ allowed: 'strict' });
  return { token: config.get('auth_bearer_token'), required: config.get('auth_required') };
}
