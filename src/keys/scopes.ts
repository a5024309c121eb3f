// Scopes: the one rule for what a scope string is, and which held scopes grant a required one.

/** A scope: `*`, or lower-case words joined by `:`, optionally ending in `:*`. @internal */
export const SCOPE = /^(\*|[a-z0-9_.-]+(:([a-z0-9_.-]+|\*))*)$/;

/** True when `value` is a scope string (see {@link SCOPE}). @internal */
export function isScope(value: unknown): value is string {
  return typeof value === 'string' && SCOPE.test(value);
}

/**
 * Every held scope that grants `required`: the scope itself, `*`, and `<prefix>:*` for each
 * `<prefix>:` of it (`models:predict` is granted by `models:predict`, `*` and `models:*`).
 * @internal
 */
export function grantersOf(required: string): readonly string[] {
  const parts = required.split(':');
  return [required, '*', ...parts.slice(1).map((_, i) => `${parts.slice(0, i + 1).join(':')}:*`)];
}
