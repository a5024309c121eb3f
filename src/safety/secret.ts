// A token wrapper that never shows its value when printed, inspected or serialised.
import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * Holds a bearer token. `String(secret)`, `JSON.stringify`, `util.inspect` and template
 * literals all give `[redacted]`; only {@link Secret.reveal} returns the value.
 *
 * @example
 * ```ts
 * const { token } = loadAuthConfig();
 * console.log(token); // Secret [redacted]
 * ```
 */
export class Secret {
  readonly #value: string;

  /** @param value - the token; kept in a private field */
  constructor(value: string) {
    this.#value = value;
  }

  /** @returns the token itself. Use it only to hand it to something that needs it. */
  reveal(): string {
    return this.#value;
  }

  /** @returns `[redacted]` */
  toString(): string {
    return REDACTED;
  }

  /** @returns `[redacted]`, so `JSON.stringify` never shows the value */
  toJSON(): string {
    return REDACTED;
  }

  /** @returns `Secret [redacted]` for `util.inspect` and `console.log` */
  [inspect.custom](): string {
    return `Secret ${REDACTED}`;
  }

  /** @returns `[redacted]` for template literals and `+` */
  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
}
