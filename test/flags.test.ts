// BEARER_GUARD_FLAGS: exactly the flags loadAuthConfig reads from argv, each with the right takesValue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BEARER_GUARD_FLAGS, loadAuthConfig } from '../src/index.js';

const VALUE = 'flag-value-0123456789abcdefghijklmnopqrstuvw';

/** The code loadAuthConfig throws for this command line, or 'none'. */
function codeFor(args: string[]): string {
  try {
    loadAuthConfig({ argv: ['node', 'app', ...args], env: {} });
    return 'none';
  } catch (err) {
    return String((err as { code?: unknown }).code);
  }
}

test('every listed flag is read by the library (given twice, it is refused as given twice)', () => {
  assert.ok(BEARER_GUARD_FLAGS.length >= 6);
  for (const { flag, takesValue } of BEARER_GUARD_FLAGS) {
    const once = takesValue ? [flag, VALUE] : [flag];
    assert.equal(codeFor([...once, ...once]), 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', flag);
  }
});

test('takesValue says whether the flag needs a value', () => {
  for (const { flag, takesValue } of BEARER_GUARD_FLAGS) {
    // A value flag at the end of the line lacks its value; a switch there is complete.
    const code = codeFor([flag]);
    if (takesValue) assert.equal(code, 'ERR_BEARER_GUARD_INVALID_ARGUMENT', flag);
    else assert.notEqual(code, 'ERR_BEARER_GUARD_INVALID_ARGUMENT', flag);
  }
});

test('a flag the library does not read is not listed', () => {
  const flags = BEARER_GUARD_FLAGS.map((f) => f.flag);
  for (const flag of ['--auth-bearer-tokn', '--listen-port', '--auth-keys-file-file']) {
    assert.equal(flags.includes(flag), false, flag);
    // Read as a flag, it would be refused as given twice (it may be refused as unknown instead).
    assert.notEqual(codeFor([flag, VALUE, flag, VALUE]), 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', flag);
  }
  assert.ok(Object.isFrozen(BEARER_GUARD_FLAGS) && BEARER_GUARD_FLAGS.every((f) => Object.isFrozen(f) && f.description.length > 0));
});

test('the negated spelling of a switch is listed, since the library reads it', () => {
  const flags = BEARER_GUARD_FLAGS.map((f) => f.flag);
  assert.ok(flags.includes('--no-auth-required'));
  assert.equal(codeFor(['--no-auth-required', '--no-auth-required']), 'ERR_BEARER_GUARD_CONFLICTING_SOURCES');
});
