// Batch input and output lines: records to JSONL (with the recordIds AWS would add), JSONL text to records with
// errors that name the file and line, and `.jsonl.out` lines to typed results.
import { randomRecordId, recordIdFrom } from '../emulator/jobs/record-id.js';

/** One line of a batch input file. `modelInput` is the InvokeModel body (or the Converse request). */
export interface BatchRecord<I = Record<string, unknown>> {
  recordId?: string;
  modelInput: I;
}

export interface RecordError {
  errorCode: number;
  errorMessage: string;
}

/** One record's outcome, joined by recordId. Exactly one of output, error or missing is set. */
export interface RecordResult<O = unknown> {
  recordId: string;
  modelInput: unknown;
  /** The line's `modelOutput`: exactly the InvokeModel (or Converse) response body. */
  output?: O;
  /** The error AWS wrote in place of modelOutput (e.g. the model refused the modelInput). */
  error?: RecordError;
  /** Why no output line exists for this record (its job ended Failed, Stopped, Expired or PartiallyCompleted). */
  missing?: string;
}

/** A problem with the caller's input, reported before anything is sent (file and line where there is one). */
export class InputError extends Error {
  override name = 'InputError';
}

/** 11 alphanumerics, the form AWS gives records that come without a recordId. */
export const newRecordId = randomRecordId;

/** The same 11-character form, derived from a batch name and a record's index. */
export const recordIdFor = (batch: string, index: number): string => recordIdFrom(`${batch}\n${index}`);

/** Gives every record a recordId (random unless `idFor` says); results are joined by it, so a repeat is an error. */
export function withRecordIds<I>(records: readonly BatchRecord<I>[], idFor: (index: number) => string = newRecordId): Required<BatchRecord<I>>[] {
  const seen = new Set<string>();
  return records.map((r, i) => {
    const recordId = r.recordId ?? idFor(i);
    if (seen.has(recordId)) throw new InputError(`Record ${i + 1}: recordId '${recordId}' is used twice. Give every record its own recordId (or none).`);
    seen.add(recordId);
    return { recordId, modelInput: r.modelInput };
  });
}

/** One input line, newline included; recordId first, as AWS's examples write it. */
export const toJsonlLine = (r: BatchRecord<unknown>): string =>
  JSON.stringify(r.recordId === undefined ? { modelInput: r.modelInput } : { recordId: r.recordId, modelInput: r.modelInput }) + '\n';

/** A batch input file's text. */
export const toJsonl = (records: readonly BatchRecord<unknown>[]): string => records.map(toJsonlLine).join('');

const LINE_FORM = 'Each line must be a JSON object {"recordId": "…", "modelInput": {…}} (recordId optional).';

/** Parses a JSONL input text; a bad line is an InputError naming the file and line. */
export function parseJsonl(text: string, file = 'input'): BatchRecord[] {
  const out: BatchRecord[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new InputError(`${where}: not valid JSON (${(e as Error).message}). ${LINE_FORM}`);
    }
    const r = value as BatchRecord;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new InputError(`${where}: not a JSON object. ${LINE_FORM}`);
    if (typeof r.modelInput !== 'object' || r.modelInput === null || Array.isArray(r.modelInput)) {
      throw new InputError(`${where}: missing the "modelInput" object. ${LINE_FORM}`);
    }
    if (r.recordId !== undefined && typeof r.recordId !== 'string') throw new InputError(`${where}: "recordId" must be a string. ${LINE_FORM}`);
    out.push(r.recordId === undefined ? { modelInput: r.modelInput } : { recordId: r.recordId, modelInput: r.modelInput });
  });
  return out;
}

/** One line of a `.jsonl.out` file: `{recordId, modelInput, modelOutput}` or `{recordId, modelInput, error}`. */
export function parseOutputLine<O = unknown>(line: string): RecordResult<O> {
  let v: { recordId?: unknown; modelInput?: unknown; modelOutput?: O; error?: unknown };
  try {
    v = JSON.parse(line);
  } catch (e) {
    throw new Error(`Not a batch output line (${(e as Error).message}): ${line.slice(0, 200)}`);
  }
  if (typeof v !== 'object' || v === null || typeof v.recordId !== 'string') throw new Error(`Not a batch output line (no recordId): ${line.slice(0, 200)}`);
  const base = { recordId: v.recordId, modelInput: v.modelInput };
  if (v.error !== undefined) return { ...base, error: toRecordError(v.error) };
  return { ...base, output: v.modelOutput };
}

// AWS documents an object; a bare string is kept readable rather than dropped.
function toRecordError(e: unknown): RecordError {
  if (typeof e === 'object' && e !== null) {
    const { errorCode, errorMessage } = e as Partial<RecordError>;
    return { errorCode: Number(errorCode ?? 0), errorMessage: String(errorMessage ?? JSON.stringify(e)) };
  }
  return { errorCode: 0, errorMessage: String(e) };
}

/** Lines of a byte stream (an S3 object body), without holding the whole object in memory. */
export async function* lines(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of body) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const parts = rest.split('\n');
    rest = parts.pop()!;
    for (const p of parts) if (p.trim()) yield p;
  }
  rest += decoder.decode();
  if (rest.trim()) yield rest;
}
