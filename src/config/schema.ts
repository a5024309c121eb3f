// The convict schema, derived from the settings table: one private instance per load, fed the layers in order.
import convict from 'convict';
import { SETTINGS, type BooleanSettingKey, type SettingKey } from './settings.js';

/** One layer of settings, keyed by the settings' INI-style names. @internal */
export type Layer = Partial<Record<string, string | boolean>>;

/** The merged settings: '' for an unset text (or number) setting. @internal */
export type Merged = { [K in SettingKey]: K extends BooleanSettingKey ? boolean : string };

const SCHEMA = Object.fromEntries(
  SETTINGS.map((s) => [
    s.name,
    s.type === 'boolean'
      ? { doc: s.doc, format: Boolean, default: false }
      : { doc: s.doc, format: String, default: '', sensitive: s.sensitive },
  ]),
);

/** A layer from one source's values, under the settings' names. @internal */
export function layerOf(values: Partial<Record<SettingKey, string | boolean>>): Layer {
  const layer: Layer = {};
  for (const s of SETTINGS) {
    const v = values[s.key];
    if (v !== undefined) layer[s.name] = v;
  }
  return layer;
}

/**
 * Merges layers with convict, lowest precedence first, and validates the result strictly.
 * convict is given no args and no env: its own parser mangles values (reference.md s5), so the
 * sources are read by argv.ts, env.ts and ini-file.ts and handed over here.
 *
 * @param layers - from lowest to highest precedence
 * @internal
 */
export function mergeLayers(layers: readonly Layer[]): Merged {
  const config = convict(SCHEMA as convict.Schema<Record<string, unknown>>, { args: [], env: {} });
  for (const layer of layers) config.load(layer);
  config.validate({ allowed: 'strict' });
  return Object.fromEntries(SETTINGS.map((s) => [s.key, config.get(s.name)])) as Merged;
}
