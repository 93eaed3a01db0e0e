// The OpenAI Batch API's kind of job (created by compat/batches.ts): its input is one JSONL file in OpenAI's batch
// format (`{custom_id, method, url, body}` per line) and its results go next to it, in
// `{input folder}/{batch id}/{input}.jsonl.out` and `.jsonl.err`, as OpenAI request-output lines
// (`{id, custom_id, response: {status_code, request_id, body}, error}`). Validation fails the batch only for a file
// that isn't JSONL in that format (or breaks the quotas); a line with a wrong `url`, another `model` than the
// batch's, or a body the model refuses is answered in `.err` and counted as failed.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Quotas } from '../config.js';
import { isAwsError } from '../errors.js';
import { parseJson } from '../json.js';
import { fromFakeModel } from '../model-errors.js';
import { parseS3Uri, readLines, type S3Objects } from '../s3/objects.js';
import { converse } from '../../fake-models/index.js';
import { getModel } from '../../registry/index.js';
import { chatCompletionRequest, completionObject, toConverse } from '../compat/chat-completions.js';
import { ApiError, errorBody, issueError } from '../compat/errors.js';
import type { InputCheck } from './input.js';
import { OutputObject, recordTurn, SHUTDOWN, type RunContext } from './runner.js';
import type { Job } from './store.js';

/** What a job made through the OpenAI Batch API keeps beside the Bedrock job's own fields. */
export interface OpenAIBatchInfo {
  /** `batch_` + the Bedrock job id: the OpenAI id, and the name of the results folder. */
  id: string;
  endpoint: string;
  completionWindow: string;
  metadata: Record<string, string> | null;
  /** When processing ended (the `finalizing_at` time; completed/cancelled follow after the state's duration). */
  finalizingAt?: number;
}

export const BATCH_ENDPOINT = '/v1/chat/completions';

/** `{input folder}/{batch id}/{input}.jsonl.out` and `.err` (the `.jsonl` name kept, as AWS shows it). */
export function resultKeys(job: Job): { bucket: string; out: string; err: string } {
  const input = parseS3Uri(job.inputDataConfig.s3InputDataConfig.s3Uri)!;
  const slash = input.key.lastIndexOf('/');
  const base = `${input.key.slice(0, slash + 1)}${job.openaiBatch!.id}/${input.key.slice(slash + 1)}`;
  return { bucket: input.bucket, out: `${base}.out`, err: `${base}.err` };
}

const fail = (message: string): InputCheck => ({ ok: false, message });

/** The Validating step for an OpenAI batch: the input file exists, each line is a request object, ids are unique. */
export async function checkOpenAIBatchInput(s3: S3Objects, uri: string, quotas: Quotas): Promise<InputCheck> {
  const parsed = parseS3Uri(uri);
  if (!parsed || !parsed.key) return fail(`The input_file_id ${uri} is not the S3 URI of a JSONL file.`);
  const { bucket, key } = parsed;
  let size: number | undefined;
  try {
    size = await s3.size(bucket, key);
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchBucket') return fail(`Amazon Bedrock can't access the S3 bucket ${bucket}: it does not exist or the service role has no permission to read it.`);
    throw e;
  }
  if (size === undefined) return fail(`The input file ${uri} was not found.`);
  if (!key.endsWith('.jsonl')) return fail(`The input file ${uri} must have the .jsonl extension.`);
  if (size > quotas.maxInputFileBytes) return fail(`The input file ${uri} is ${size} bytes, over the quota of ${quotas.maxInputFileBytes} bytes per batch inference input file.`);
  const seen = new Set<string>();
  let lineNo = 0;
  for await (const line of readLines(s3, bucket, key)) {
    lineNo++;
    if (!line.trim()) continue;
    const problem = requestProblem(line);
    if (problem) return fail(`Line ${lineNo} of ${uri} is not a valid batch request: ${problem}. Each line must be a JSON object {"custom_id": "…", "method": "POST", "url": "/v1/chat/completions", "body": {…}}.`);
    const id = (JSON.parse(line) as { custom_id: string }).custom_id;
    if (seen.has(id)) return fail(`Line ${lineNo} of ${uri} repeats the custom_id '${id}'; each request needs a unique custom_id.`);
    seen.add(id);
    if (seen.size > quotas.maxRecordsPerFile) return fail(`The input file ${uri} has more than ${quotas.maxRecordsPerFile} records, the quota of records per batch inference input file.`);
  }
  if (seen.size > quotas.maxRecordsPerJob) return fail(`The batch has more than ${quotas.maxRecordsPerJob} requests, the quota of records per batch inference job.`);
  if (seen.size < quotas.minRecordsPerJob) return fail(`The batch has ${seen.size} requests, fewer than the minimum of ${quotas.minRecordsPerJob} records per batch inference job.`);
  return { ok: true, bucket, files: [{ key, size, records: seen.size }], total: seen.size };
}

/** A line of OpenAI's batch input format (the body itself is checked per request, when it runs). */
const batchLine = z.object({ custom_id: z.string().min(1), method: z.literal('POST'), url: z.string(), body: z.record(z.string(), z.unknown()) });

function requestProblem(line: string): string | undefined {
  let value: unknown;
  try {
    value = parseJson(line);
  } catch {
    return 'it is not valid JSON';
  }
  const parsed = batchLine.safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : 'it is not a JSON object';
}

/** The request's `id` in the output (`batch_req_…`), stable across a restart. */
const requestId = (job: Job, customId: string) => `batch_req_${createHash('sha256').update(`${job.id}\u0000${customId}`).digest('hex').slice(0, 32)}`;

interface LineResult {
  line: Record<string, unknown>;
  ok: boolean;
  inputTokens: number;
  outputTokens: number;
}

function answerLine(job: Job, request: { custom_id: string; url: string; body: Record<string, unknown> }, ctx: RunContext, now: number): LineResult {
  const id = requestId(job, request.custom_id);
  const base = { id, custom_id: request.custom_id };
  const failed = (status: number, err: unknown): LineResult => ({
    line: { ...base, response: { status_code: status, request_id: id, body: errorBody('openai', err).body }, error: null },
    ok: false,
    inputTokens: 0,
    outputTokens: 0,
  });
  if (request.url !== BATCH_ENDPOINT) {
    return { line: { ...base, response: null, error: { code: 'invalid_url', message: `The url '${request.url}' does not match the batch's endpoint ${BATCH_ENDPOINT}.` } }, ok: false, inputTokens: 0, outputTokens: 0 };
  }
  const model = request.body.model ?? job.modelId;
  if (model !== job.modelId) {
    return { line: { ...base, response: null, error: { code: 'model_mismatch', message: `The model '${String(model)}' is not the batch's model ${job.modelId} (X-Amzn-Bedrock-ModelId).` } }, ok: false, inputTokens: 0, outputTokens: 0 };
  }
  if (job.failureRate > 0) {
    const h = createHash('sha256').update(`${job.id}\u0000${request.custom_id}`).digest().readUInt32BE(0) / 2 ** 32;
    if (h < job.failureRate) return failed(500, new ApiError(500, 'Internal server error (injected by the emulator).', null, 'server_error'));
  }
  try {
    const parsed = chatCompletionRequest.safeParse({ ...request.body, model });
    if (!parsed.success) throw issueError(parsed.error);
    if (parsed.data.stream) throw new ApiError(400, 'Streaming is not supported in a batch request.', 'stream', 'invalid_value');
    const info = getModel(job.baseModelId, ctx.catalog)!;
    const { delayMs: _d, ...result } = fromFakeModel(() => converse({ family: info.family, modelId: info.id, scripts: ctx.scripts, nativeApi: true }, toConverse(parsed.data)));
    const body = completionObject(`chatcmpl-${id.slice('batch_req_'.length)}`, Math.floor(now / 1000), String(model), result);
    return { line: { ...base, response: { status_code: 200, request_id: id, body }, error: null }, ok: true, inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens };
  } catch (e) {
    if (e instanceof ApiError) return failed(e.status, e);
    if (isAwsError(e)) return failed(e.status, e);
    throw e;
  }
}

/**
 * InProgress for an OpenAI batch: each line answered in order, successes streamed to `.jsonl.out` and failures to
 * `.jsonl.err` (both objects appear, complete, when the file is done; `.err` is empty when nothing failed).
 */
export async function runOpenAIBatchFiles(job: Job, bucket: string, files: { key: string }[], done: Set<string>, ctx: RunContext): Promise<void> {
  const keys = resultKeys(job);
  const start = ctx.clock.now();
  let processedSoFar = 0;
  for (const file of files) {
    if (done.has(file.key) || ctx.signal.aborted) continue;
    const out = new OutputObject(ctx.s3, keys.bucket, keys.out);
    const err = new OutputObject(ctx.s3, keys.bucket, keys.err);
    const counts = { key: file.key, processed: 0, success: 0, error: 0, inputTokens: 0, outputTokens: 0 };
    let interrupted = false;
    try {
      for await (const line of readLines(ctx.s3, bucket, file.key)) {
        if (!line.trim()) continue;
        if (!(await recordTurn(ctx, job, start, processedSoFar + 1))) {
          interrupted = true;
          break;
        }
        const r = answerLine(job, JSON.parse(line), ctx, ctx.clock.now());
        await (r.ok ? out : err).write(JSON.stringify(r.line) + '\n');
        const delta = { processed: 1, success: r.ok ? 1 : 0, error: r.ok ? 0 : 1, inputTokens: r.inputTokens, outputTokens: r.outputTokens };
        for (const k of Object.keys(delta) as (keyof typeof delta)[]) counts[k] += delta[k];
        processedSoFar++;
        ctx.progress(delta);
      }
    } catch (e) {
      await Promise.all([out.abandon(), err.abandon()]);
      throw e;
    }
    if (interrupted && ctx.signal.reason === SHUTDOWN) return void (await Promise.all([out.abandon(), err.abandon()]));
    await Promise.all([out.complete(), err.complete()]);
    ctx.fileDone(counts);
  }
}
