// Batch input and output lines: records to JSONL (with the recordIds AWS would add), output lines to typed
// results, and the split of a record list into jobs and files that respects the batch quotas.
import { randomInt } from 'node:crypto';

export interface BatchRecord {
  recordId?: string;
  modelInput: Record<string, unknown>;
}

export interface RecordResult {
  recordId: string;
  modelInput: unknown;
  output?: unknown;
  error?: { errorCode: number; errorMessage: string };
}

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const newRecordId = () => Array.from({ length: 11 }, () => ID_CHARS[randomInt(ID_CHARS.length)]).join('');

/** Gives every record a recordId (11 alphanumerics, as AWS does for records without one). */
export const withRecordIds = (records: BatchRecord[]): Required<BatchRecord>[] =>
  records.map((r) => ({ recordId: r.recordId ?? newRecordId(), modelInput: r.modelInput }));

export const toJsonl = (records: BatchRecord[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

export class InputError extends Error {}

/** Parses a JSONL input text; a bad line is an error naming the file and line. */
export function parseJsonl(text: string, file = 'input'): BatchRecord[] {
  const out: BatchRecord[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new InputError(`${file}:${i + 1}: not valid JSON. Each line must be {"recordId": "…", "modelInput": {…}}.`);
    }
    const r = value as BatchRecord;
    if (typeof r !== 'object' || r === null || typeof r.modelInput !== 'object' || r.modelInput === null || Array.isArray(r.modelInput)) {
      throw new InputError(`${file}:${i + 1}: missing the "modelInput" object. Each line must be {"recordId": "…", "modelInput": {…}}.`);
    }
    if (r.recordId !== undefined && typeof r.recordId !== 'string') throw new InputError(`${file}:${i + 1}: "recordId" must be a string.`);
    out.push(r);
  });
  return out;
}

/** One line of a `.jsonl.out` file. */
export function parseOutputLine(line: string): RecordResult {
  const v = JSON.parse(line) as { recordId: string; modelInput: unknown; modelOutput?: unknown; error?: RecordResult['error'] };
  return { recordId: v.recordId, modelInput: v.modelInput, ...(v.error ? { error: v.error } : { output: v.modelOutput }) };
}

export interface SplitLimits {
  maxRecordsPerFile: number;
  maxRecordsPerJob: number;
  minRecordsPerJob: number;
}

/** Jobs of files of records, each within the quotas. Records are spread evenly, so no job falls under the minimum. */
export function splitRecords<T>(records: T[], limits: SplitLimits): T[][][] {
  if (records.length < limits.minRecordsPerJob) {
    throw new InputError(`A batch job needs at least ${limits.minRecordsPerJob} records (Bedrock's minimum records per job); got ${records.length}.`);
  }
  const jobCount = Math.ceil(records.length / limits.maxRecordsPerJob);
  const jobs: T[][][] = [];
  let start = 0;
  for (let j = 0; j < jobCount; j++) {
    const size = Math.floor(records.length / jobCount) + (j < records.length % jobCount ? 1 : 0);
    const chunk = records.slice(start, (start += size));
    const files: T[][] = [];
    for (let f = 0; f < chunk.length; f += limits.maxRecordsPerFile) files.push(chunk.slice(f, f + limits.maxRecordsPerFile));
    jobs.push(files);
  }
  return jobs;
}
