// The Validating step: what AWS checks before a job may run — input files exist and are `.jsonl`, every line is
// a JSON object with a `modelInput` object (not checked against the model), and the size and record quotas hold.
import type { Quotas } from '../config.js';
import { MAX_JSON_DEPTH, parseJson } from '../json.js';
import { parseS3Uri, readLines, type S3Objects } from '../s3/objects.js';

export interface InputFile {
  key: string;
  size: number;
  records: number;
}

export type InputCheck = { ok: true; bucket: string; files: InputFile[]; total: number } | { ok: false; message: string };

const fail = (message: string): InputCheck => ({ ok: false, message });

/** Lists the job's input objects: the object itself, or every `.jsonl` under the prefix (a folder). */
export async function inputFiles(s3: S3Objects, uri: string): Promise<{ bucket: string; files: { key: string; size: number }[] } | string> {
  const parsed = parseS3Uri(uri);
  if (!parsed) return `The input location ${uri} is not a valid S3 URI.`;
  const { bucket, key } = parsed;
  try {
    if (key && !key.endsWith('/')) {
      const size = await s3.size(bucket, key);
      if (size !== undefined) return { bucket, files: [{ key, size }] };
    }
    const prefix = key && !key.endsWith('/') ? `${key}/` : key;
    const files: { key: string; size: number }[] = [];
    for await (const o of s3.list(bucket, prefix)) if (o.key.endsWith('.jsonl')) files.push(o);
    return { bucket, files: files.sort((a, b) => (a.key < b.key ? -1 : 1)) };
  } catch (e) {
    // A missing bucket, or S3 refusing the service role (AccessDenied): a bucket Bedrock can't access. Anything else
    // fails the job as itself.
    const code = (e as { name?: string }).name;
    if (code === 'NoSuchBucket' || code === 'AccessDenied') return `Amazon Bedrock can't access the S3 bucket ${bucket}: it does not exist or the service role has no permission to read it.`;
    throw e;
  }
}

export async function checkInput(s3: S3Objects, uri: string, quotas: Quotas): Promise<InputCheck> {
  const listed = await inputFiles(s3, uri);
  if (typeof listed === 'string') return fail(listed);
  const { bucket, files } = listed;
  if (!files.length) return fail(`No input files were found at ${uri}. Provide a .jsonl file or a folder that contains .jsonl files.`);
  const checked: InputFile[] = [];
  let total = 0;
  let bytes = 0;
  for (const file of files) {
    const name = `s3://${bucket}/${file.key}`;
    if (!file.key.endsWith('.jsonl')) return fail(`The input file ${name} must have the .jsonl extension.`);
    if (file.size > quotas.maxInputFileBytes) {
      return fail(`The input file ${name} is ${file.size} bytes, over the quota of ${quotas.maxInputFileBytes} bytes per batch inference input file.`);
    }
    bytes += file.size;
    if (bytes > quotas.maxJobBytes) return fail(`The job's input exceeds the quota of ${quotas.maxJobBytes} bytes per batch inference job.`);
    let records = 0;
    let lineNo = 0;
    for await (const line of readLines(s3, bucket, file.key)) {
      lineNo++;
      if (!line.trim()) continue;
      const problem = recordProblem(line);
      if (problem) return fail(`Line ${lineNo} of ${name} is not a valid record: ${problem}. Each line must be a JSON object {"recordId": "…", "modelInput": {…}}.`);
      records++;
      if (records > quotas.maxRecordsPerFile) return fail(`The input file ${name} has more than ${quotas.maxRecordsPerFile} records, the quota of records per batch inference input file.`);
    }
    total += records;
    if (total > quotas.maxRecordsPerJob) return fail(`The job has more than ${quotas.maxRecordsPerJob} records, the quota of records per batch inference job.`);
    checked.push({ ...file, records });
  }
  if (total < quotas.minRecordsPerJob) {
    return fail(`The job has ${total} records, fewer than the minimum of ${quotas.minRecordsPerJob} records per batch inference job.`);
  }
  return { ok: true, bucket, files: checked, total };
}

function recordProblem(line: string): string | undefined {
  let value: unknown;
  try {
    value = parseJson(line);
  } catch (e) {
    return (e as Error).message.startsWith('JSON nested') ? `its JSON is nested deeper than ${MAX_JSON_DEPTH} levels` : 'it is not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not a JSON object';
  const record = value as Record<string, unknown>;
  if (typeof record.modelInput !== 'object' || record.modelInput === null || Array.isArray(record.modelInput)) return 'modelInput is missing or not an object';
  if (record.recordId !== undefined && typeof record.recordId !== 'string') return 'recordId is not a string';
  return undefined;
}
