// Credential variants built from the real token: near misses that must fail, and the few
// spellings HTTP and RFC 6750 make equivalent to the valid header, which must pass.
import { tokenElsewhere } from '../../src/self-test/corpus.js';
import { utf8Bytes } from '../../src/self-test/spellings.js';
import { TOKEN } from '../helpers/apps.js';
import { changeCharFromEnd } from '../helpers/keys.js';

export interface CredentialVariant {
  name: string;
  /** Header lines carrying the credential. */
  headers: string[];
  /** Query string to append, and body to send (POST) for tokens placed outside the header. */
  query?: string;
  body?: { method: string; headers: string[]; body: string };
  /** True when the request must be let through. */
  valid: boolean;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/';
/** Deterministic b64token of length n (never the real token). */
const filler = (n: number, seed: number): string => Array.from({ length: n }, (_, i) => B64[(i * 7 + seed * 13) % B64.length]).join('');
const flipCase = (s: string): string => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');

/**
 * Every credential variant of the adversarial corpus for `token` and a cap of `maxLength`.
 * @returns variants, each marked valid or not
 */
export function credentialVariants(token: string = TOKEN, maxLength = 4096): CredentialVariant[] {
  const list: CredentialVariant[] = [];
  const auth = (name: string, value: string, valid = false): void => void list.push({ name, headers: [`Authorization: ${value}`], valid });
  // Equivalent spellings: scheme case, 1+ spaces (RFC 6750 1*SP), header whitespace Node trims.
  for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) auth(`scheme ${scheme}`, `${scheme} ${token}`, true);
  auth('two spaces', `Bearer  ${token}`, true);
  auth('five spaces', `Bearer     ${token}`, true);
  auth('trailing space (OWS)', `Bearer ${token} `, true);
  auth('trailing tab (OWS)', `Bearer ${token}\t`, true);
  auth('leading space (OWS)', ` Bearer ${token}`, true);
  list.push({ name: 'lower-case header name', headers: [`authorization: Bearer ${token}`], valid: true });
  list.push({ name: 'valid plus Proxy-Authorization', headers: [`Authorization: Bearer ${token}`, 'Proxy-Authorization: Bearer x'], valid: true });
  // Every proper prefix and suffix of the token.
  for (let k = 1; k < token.length; k++) auth(`prefix ${k}`, `Bearer ${token.slice(0, k)}`);
  for (let k = 1; k < token.length; k++) auth(`suffix ${k}`, `Bearer ${token.slice(k)}`);
  // Junk around the token, changed case.
  for (const junk of ['x', '=', '==', '.', '~', '/', '+', 'A']) {
    auth(`token+${junk}`, `Bearer ${token}${junk}`);
    auth(`${junk}+token`, `Bearer ${junk}${token}`);
  }
  auth('upper-case token', `Bearer ${token.toUpperCase()}`);
  auth('lower-case token', `Bearer ${token.toLowerCase()}`);
  auth('flipped-case token', `Bearer ${flipCase(token)}`);
  auth('first letter case', `Bearer ${flipCase(token.charAt(0))}${token.slice(1)}`);
  auth('last letter changed', `Bearer ${changeCharFromEnd(token, 3)}`);
  // Scheme look-alikes and separators.
  for (const [name, value] of [
    ['Bearer2', `Bearer2 ${token}`], ['XBearer', `XBearer ${token}`], ['NotBearer', `NotBearer ${token}`], ['Bearer:', `Bearer: ${token}`],
    ['Bearer=', `Bearer=${token}`], ['no separator', `Bearer${token}`], ['Cyrillic e', utf8Bytes(`B\u0435arer ${token}`)],
    ['Cyrillic a', utf8Bytes(`Be\u0430rer ${token}`)], ['tab separator', `Bearer\t${token}`], ['NBSP separator', `Bearer\xa0${token}`],
    ['Basic', `Basic ${token}`], ['Token', `Token ${token}`], ['Basic base64', `Basic ${Buffer.from(`x:${token}`).toString('base64')}`],
    ['two tokens', `Bearer ${token} ${token}`], ['comma', `Bearer ${token},`], ['comma-joined', `Bearer ${token}, Bearer ${token}`],
    ['Basic then Bearer', `Basic eDp5, Bearer ${token}`], ['quoted', `Bearer "${token}"`], ['control byte', `Bearer ${token}\x01`],
    ['latin1 byte', `Bearer ${token}\xe9`], ['UTF-8 bytes', `Bearer ${token}${utf8Bytes('é')}`], ['DEL', `Bearer ${token}\x7f`],
    ['empty', ''], ['scheme only', 'Bearer'], ['scheme and space', 'Bearer '],
  ] as const) {
    auth(name, value);
  }
  // Lengths around the token's and around the cap.
  for (const n of [token.length - 1, token.length, token.length + 1, 1, 32, maxLength - 1, maxLength, maxLength + 1, maxLength * 2]) {
    auth(`random length ${n}`, `Bearer ${filler(n, n)}`);
  }
  for (const n of [maxLength - 1, maxLength, maxLength + 1]) auth(`token padded to ${n}`, `Bearer ${token}${'A'.repeat(n - token.length)}`);
  auth('padded with =', `Bearer ${token}${'='.repeat(maxLength)}`);
  // Two Authorization lines, both orders; Proxy-Authorization alone.
  const two = (name: string, a: string, b: string): void => void list.push({ name, headers: [`Authorization: ${a}`, `Authorization: ${b}`], valid: false });
  two('valid then wrong', `Bearer ${token}`, `Bearer ${filler(token.length, 1)}`);
  two('wrong then valid', `Bearer ${filler(token.length, 1)}`, `Bearer ${token}`);
  two('valid twice', `Bearer ${token}`, `Bearer ${token}`);
  two('valid then empty', `Bearer ${token}`, '');
  two('Basic then valid', 'Basic eDp5', `Bearer ${token}`);
  list.push({ name: 'Proxy-Authorization alone', headers: [`Proxy-Authorization: Bearer ${token}`], valid: false });
  list.push({ name: 'X-Authorization', headers: [`X-Authorization: Bearer ${token}`], valid: false });
  list.push({ name: 'X-Access-Token', headers: [`X-Access-Token: ${token}`], valid: false });
  // The valid token outside the header: never read.
  for (const v of tokenElsewhere(token)) {
    list.push(v.method === 'GET'
      ? { name: `elsewhere ${v.name}${v.query ? ' query' : ''}`, headers: v.headers, query: v.query, valid: false }
      : { name: `elsewhere ${v.name}`, headers: [], body: { method: v.method, headers: v.headers, body: v.body }, valid: false });
  }
  return list;
}
