// Turns a predict request's input (JSON `{"data": [[...], ...]}` or CSV text) into validated feature rows.
import { FEATURES } from './dataset.js';
import { HttpError } from './errors.js';

/** Most rows accepted in one predict request. */
export const MAX_ROWS = 10_000;

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function invalid(detail: string): HttpError {
  return new HttpError(422, detail);
}

/**
 * Validates the JSON schema of predict: an object with exactly one key, `data`, holding 1 to
 * MAX_ROWS rows of 4 finite numbers each (sepal_length, sepal_width, petal_length, petal_width).
 */
export function rowsFromJson(body: unknown): number[][] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('The JSON body must be an object: {"data": [[sepal_length, sepal_width, petal_length, petal_width], ...]}');
  }
  const extra = Object.keys(body).filter((key) => key !== 'data');
  if (extra.length > 0) throw invalid(`Unknown field(s) in the JSON body: ${extra.slice(0, 5).join(', ')}`);
  const data: unknown = (body as { data?: unknown }).data;
  if (data === undefined) throw invalid('Missing field "data": an array of rows of 4 numbers');
  if (!Array.isArray(data)) throw invalid('"data" must be an array of rows of 4 numbers');
  if (data.length === 0) throw invalid('"data" must hold at least one row');
  if (data.length > MAX_ROWS) throw invalid(`Too many rows: ${data.length} (at most ${MAX_ROWS})`);
  return data.map((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== FEATURES.length) {
      throw invalid(`data[${i}] must be an array of ${FEATURES.length} numbers (${FEATURES.join(', ')})`);
    }
    return row.map((value: unknown, j) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw invalid(`data[${i}][${j}] (${FEATURES[j] ?? '?'}) must be a finite number`);
      }
      return value;
    });
  });
}

function splitCsvLine(line: string): string[] {
  return line.split(',').map((field) => field.trim().replace(/^"(.*)"$/, '$1').trim());
}

/**
 * Parses CSV text: one row per line, 4 numeric columns, blank lines ignored, and an optional
 * header row that must name the columns in order: sepal_length,sepal_width,petal_length,petal_width.
 */
export function rowsFromCsv(text: string): number[][] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const rows: number[][] = [];
  let headerSeen = false;
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const fields = splitCsvLine(line);
    const lineNo = index + 1;
    if (rows.length === 0 && !headerSeen && !DECIMAL.test(fields[0] ?? '')) {
      const names = fields.map((field) => field.toLowerCase());
      if (names.join(',') !== FEATURES.join(',')) {
        throw invalid(`Line ${lineNo}: the header row must be ${FEATURES.join(',')}`);
      }
      headerSeen = true;
      continue;
    }
    if (fields.length !== FEATURES.length) {
      throw invalid(`Line ${lineNo}: expected ${FEATURES.length} columns, got ${fields.length}`);
    }
    if (rows.length === MAX_ROWS) throw invalid(`Too many rows (at most ${MAX_ROWS})`);
    rows.push(
      fields.map((field, column) => {
        const value = Number(field);
        if (!DECIMAL.test(field) || !Number.isFinite(value)) {
          throw invalid(`Line ${lineNo}, column ${column + 1} (${FEATURES[column] ?? '?'}): not a number`);
        }
        return value;
      }),
    );
  }
  if (rows.length === 0) throw invalid('The CSV holds no data rows');
  return rows;
}

/** Decodes an uploaded file as UTF-8, refusing binary or otherwise invalid text. */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid('The CSV file must be UTF-8 text');
  }
}
