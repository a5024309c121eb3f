// CLI durations and expiry instants: accepted and refused inputs, UTC conversion, and display.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatRelative, parseDuration, parseExpiry, toIsoUtc } from '../../src/keys/duration.js';

const NOW = Date.UTC(2027, 0, 1);
const S = 1_000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseDuration', () => {
  const accepted: [string, number][] = [
    ['0', 0],
    ['0s', 0],
    ['90s', 90 * S],
    ['15m', 15 * M],
    ['1h', H],
    ['30d', 30 * D],
    ['1w', 7 * D],
    ['007m', 7 * M],
  ];
  for (const [text, ms] of accepted) test(`accepts ${JSON.stringify(text)}`, () => assert.equal(parseDuration(text), ms));

  const refused = ['', '1', 's', ' 1d', '1d ', '1 d', '1.5h', '-1d', '+1d', '1D', '1y', '1d2h', '0x10s', '1e3s', '\uff11d', '99999999999999999d', '9999999999999d'];
  for (const text of refused) {
    test(`refuses ${JSON.stringify(text)} with a RangeError naming the accepted forms`, () => {
      assert.throws(() => parseDuration(text), (error: unknown) => {
        assert.ok(error instanceof RangeError);
        assert.match(error.message, /^invalid duration .*: use an integer and a unit s, m, h, d or w \(e\.g\. 90s, 15m, 30d, 1w\), or 0$/);
        return true;
      });
    });
  }

  const echo: [string, string][] = [
    ['1y', '"1y"'],
    ['30days', '"30days"'],
    ['', '""'],
    ['x'.repeat(33), '(not shown)'],
    ['1 day', '(not shown)'],
    ['1d\n', '(not shown)'],
    ['"1d"', '(not shown)'],
    ['aB3dE5gH7jK9mN2p', '(not shown)'], // short and plain, but looks like a pasted token
  ];
  for (const [text, shown] of echo) {
    test(`shows ${JSON.stringify(text)} as ${shown}`, () => {
      assert.throws(() => parseDuration(text), (error: Error) => error.message.startsWith(`invalid duration ${shown}: `));
    });
  }
});

describe('parseExpiry', () => {
  const accepted: [string, number][] = [
    ['0', NOW],
    ['90s', NOW + 90 * S],
    ['30d', NOW + 30 * D],
    ['1w', NOW + 7 * D],
    ['2027-01-31', Date.UTC(2027, 0, 31)],
    ['2028-02-29', Date.UTC(2028, 1, 29)],
    ['2000-02-29', Date.UTC(2000, 1, 29)],
    ['2020-06-15', Date.UTC(2020, 5, 15)], // in the past: allowed, the caller decides
    ['0099-01-01', Date.parse('0099-01-01T00:00:00.000Z')], // not 1999
    ['2027-01-31T12:00:00Z', Date.UTC(2027, 0, 31, 12)],
    ['2027-01-31T12:00Z', Date.UTC(2027, 0, 31, 12)],
    ['2027-01-31T12:00:00.000+02:00', Date.UTC(2027, 0, 31, 10)],
    ['2027-01-31T12:00:00.5-05:30', Date.UTC(2027, 0, 31, 17, 30, 0, 500)],
    ['2027-01-31T12:00:00.25+00:00', Date.UTC(2027, 0, 31, 12, 0, 0, 250)],
    ['2027-01-01T00:30:00+01:00', Date.UTC(2026, 11, 31, 23, 30)],
    ['2028-02-29T23:59:59.999Z', Date.UTC(2028, 1, 29, 23, 59, 59, 999)],
  ];
  for (const [text, ms] of accepted) {
    test(`accepts ${JSON.stringify(text)}`, () => assert.equal(parseExpiry(text, NOW), ms, toIsoUtc(parseExpiry(text, NOW))));
  }

  const refused = [
    '', 'now', 'tomorrow', '1', '1700000000000', '-1d',
    '2027-02-30', '2027-02-29', '1900-02-29', '2027-04-31', '2027-13-01', '2027-00-10', '2027-01-00', '2027-01-32',
    '2027-1-5', '27-01-31', '2027/01/31', '31-01-2027', ' 2027-01-31', '2027-01-31 ',
    '2027-01-31T12:00:00', '2027-01-31 12:00:00Z', '2027-01-31t12:00:00z', '2027-01-31T',
    '2027-01-31T24:00:00Z', '2027-01-31T12:60:00Z', '2027-01-31T12:00:60Z', '2027-02-30T12:00:00Z',
    '2027-01-31T12:00:00+2:00', '2027-01-31T12:00:00+0200', '2027-01-31T12:00:00+02:60', '2027-01-31T12:00:00+24:00',
    '2027-01-31T12:00:00.1234Z', '2027-01-31T12:00:00.Z', '2027-01-31T12Z',
  ];
  for (const text of refused) {
    test(`refuses ${JSON.stringify(text)} with a RangeError naming the accepted forms`, () => {
      assert.throws(() => parseExpiry(text, NOW), (error: unknown) => {
        assert.ok(error instanceof RangeError);
        assert.match(error.message, /^invalid expiry /);
        assert.match(error.message, /a duration \(.*\), a date YYYY-MM-DD \(midnight UTC\), or a timestamp with Z or an offset/);
        return true;
      });
    });
  }
  test('echoes a plain short input, hides a long one', () => {
    assert.throws(() => parseExpiry('2027-02-30', NOW), /^RangeError: invalid expiry "2027-02-30": /);
    assert.throws(() => parseExpiry(`2027-01-31T12:00:00.000+02:00${'0'.repeat(4)}`, NOW), /^RangeError: invalid expiry \(not shown\): /);
  });
});

describe('toIsoUtc', () => {
  const cases: [number, string][] = [
    [0, '1970-01-01T00:00:00.000Z'],
    [Date.UTC(2027, 0, 31), '2027-01-31T00:00:00.000Z'],
    [Date.UTC(2028, 1, 29, 23, 59, 59, 999), '2028-02-29T23:59:59.999Z'],
  ];
  for (const [ms, iso] of cases) test(`${ms} is ${iso}`, () => assert.equal(toIsoUtc(ms), iso));
  test('round-trips with parseExpiry', () => assert.equal(toIsoUtc(parseExpiry('2027-01-31T12:00:00.000+02:00', NOW)), '2027-01-31T10:00:00.000Z'));
  test('refuses an invalid time', () => assert.throws(() => toIsoUtc(Number.NaN), RangeError));
});

describe('formatRelative', () => {
  const cases: [number, string][] = [
    [0, 'now'],
    [999, 'now'],
    [-999, 'now'],
    [S, 'in 1s'],
    [45 * S, 'in 45s'],
    [-(M - 1), '59s ago'],
    [M, 'in 1m'],
    [15 * M + 59 * S, 'in 15m'],
    [-2 * H, '2h ago'],
    [23 * H + 59 * M, 'in 23h'],
    [D, 'in 1d'],
    [3 * D + 23 * H, 'in 3d'],
    [-400 * D, '400d ago'],
  ];
  for (const [delta, text] of cases) test(`${delta} ms from now is ${JSON.stringify(text)}`, () => assert.equal(formatRelative(NOW + delta, NOW), text));
  test('refuses a non-finite instant', () => {
    assert.throws(() => formatRelative(Number.POSITIVE_INFINITY, NOW), RangeError);
    assert.throws(() => formatRelative(NOW, Number.NaN), RangeError);
  });
});
