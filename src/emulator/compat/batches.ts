// The OpenAI Batch API on the runtime host (/openai/v1/batches: create, retrieve, list, cancel). A batch is a
// Bedrock batch inference job of the OpenAI kind (jobs/openai-batch.ts): same engine, S3, persistence, recovery,
// quotas and timing, and visible through the Bedrock job operations with its Bedrock status. Here its OpenAI face:
// the `batch` object, whose status, counts and timestamps are read from the job.
import { z } from 'zod';
import type { OpContext } from '../dispatch.js';
import { AwsError } from '../errors.js';
import { createJob } from '../jobs/handlers.js';
import { isTerminal, type JobStatus } from '../jobs/lifecycle.js';
import { BATCH_ENDPOINT, resultKeys } from '../jobs/openai-batch.js';
import type { Job } from '../jobs/store.js';
import { resolveForCaller } from '../runtime/model-resolution.js';
import { parseS3Uri } from '../s3/objects.js';
import { Answer } from '../wire.js';
import { ApiError, issueError, parseBody } from './errors.js';
import { SERVED } from './models.js';

export const batchRequest = z.object({
  input_file_id: z.string().min(1),
  // AWS: "Must be v1/chat/completions"; its examples send the leading slash, as OpenAI's SDK does.
  endpoint: z.string(),
  completion_window: z.literal('24h'),
  metadata: z
    .record(z.string().max(64), z.string().max(512))
    .refine((m) => Object.keys(m).length <= 16, 'at most 16 metadata pairs')
    .nullish(),
  output_expires_after: z.unknown().optional(),
});

/** OpenAI's status for each Bedrock job status. `finalizing`: records all answered, the job not yet Completed. */
const STATUS: Record<JobStatus, string> = {
  Submitted: 'validating',
  Validating: 'validating',
  Scheduled: 'in_progress',
  InProgress: 'in_progress',
  Completed: 'completed',
  PartiallyCompleted: 'expired',
  Failed: 'failed',
  Stopping: 'cancelling',
  Stopped: 'cancelled',
  Expired: 'expired',
};

const seconds = (ms: number | undefined) => (ms === undefined ? null : Math.floor(ms / 1000));

export function batchObject(job: Job) {
  const info = job.openaiBatch!;
  const t = job.statusTimes ?? {};
  const status = job.status === 'InProgress' && info.finalizingAt !== undefined ? 'finalizing' : STATUS[job.status];
  const keys = resultKeys(job);
  // Result files exist once processing has run (to its end, or cut short by a cancel or the timeout).
  const ran = info.finalizingAt !== undefined || (t.InProgress !== undefined && ['Stopped', 'PartiallyCompleted'].includes(job.status));
  return {
    id: info.id,
    object: 'batch',
    endpoint: info.endpoint,
    model: job.modelId,
    errors: job.status === 'Failed' ? { object: 'list', data: [{ code: 'failed', message: job.message ?? 'The batch failed.', param: null, line: null }] } : null,
    input_file_id: job.inputDataConfig.s3InputDataConfig.s3Uri,
    completion_window: info.completionWindow,
    status,
    output_file_id: ran ? `s3://${keys.bucket}/${keys.out}` : null,
    error_file_id: ran && (job.errorRecordCount ?? 0) > 0 ? `s3://${keys.bucket}/${keys.err}` : null,
    created_at: seconds(job.submitTime),
    in_progress_at: seconds(t.Scheduled ?? t.InProgress),
    expires_at: seconds(job.jobExpirationTime),
    finalizing_at: seconds(info.finalizingAt),
    completed_at: seconds(t.Completed),
    failed_at: seconds(t.Failed),
    expired_at: seconds(t.Expired ?? t.PartiallyCompleted),
    cancelling_at: seconds(t.Stopping),
    cancelled_at: seconds(t.Stopped),
    request_counts: { total: job.totalRecordCount ?? 0, completed: job.successRecordCount ?? 0, failed: job.errorRecordCount ?? 0 },
    metadata: info.metadata,
  };
}

const json = (ctx: OpContext, body: unknown) => new Answer(200, { 'content-type': 'application/json', 'x-amzn-RequestId': ctx.requestId }, JSON.stringify(body));

function requiredHeader(ctx: OpContext, name: string): string {
  const value = ctx.headers.get(name.toLowerCase());
  if (!value) throw new ApiError(400, `Missing required header: '${name}'.`, name, 'missing_required_header');
  return value;
}

/** `X-Amzn-Bedrock-Tags`: a JSON dictionary of tags. */
function tagsOf(ctx: OpContext) {
  const raw = ctx.headers.get('x-amzn-bedrock-tags');
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new ApiError(400, "X-Amzn-Bedrock-Tags must be a JSON object of tag keys to string values, e.g. {\"project\": \"alpha\"}.", 'X-Amzn-Bedrock-Tags', 'invalid_value');
  }
  return Object.entries(parsed as Record<string, string>).map(([key, value]) => ({ key, value }));
}

export function createBatch(body: Uint8Array, ctx: OpContext): Answer {
  const req = parseBody(batchRequest, body);
  const roleArn = requiredHeader(ctx, 'X-Amzn-Bedrock-RoleArn');
  const modelId = requiredHeader(ctx, 'X-Amzn-Bedrock-ModelId');
  if (req.endpoint.replace(/^\/?/, '/') !== BATCH_ENDPOINT) throw new ApiError(400, `Invalid value for 'endpoint': must be ${BATCH_ENDPOINT}.`, 'endpoint', 'invalid_value');
  const input = parseS3Uri(req.input_file_id);
  if (!input?.key || !req.input_file_id.startsWith('s3://')) {
    throw new ApiError(400, `Invalid value for 'input_file_id': '${req.input_file_id}' is not the S3 URI of a JSONL file (s3://bucket/key.jsonl).`, 'input_file_id', 'invalid_value');
  }
  const resolved = resolveForCaller(ctx, modelId, 'batch');
  if (!SERVED['/v1/chat/completions'](resolved.model)) {
    throw new ApiError(400, `The model '${modelId}' does not support the OpenAI Batch API; it runs OpenAI models only.`, 'X-Amzn-Bedrock-ModelId', 'validation_error');
  }
  const folder = input.key.slice(0, input.key.lastIndexOf('/') + 1);
  const kmsKey = ctx.headers.get('x-amzn-bedrock-outputencryptionkeyid');
  const job = createJob(
    {
      jobName: 'openai-batch',
      roleArn,
      modelId,
      inputDataConfig: { s3InputDataConfig: { s3Uri: req.input_file_id, s3InputFormat: 'JSONL' } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://${input.bucket}/${folder}`, ...(kmsKey ? { s3EncryptionKeyId: kmsKey } : {}) } },
      timeoutDurationInHours: 24,
      tags: tagsOf(ctx),
    },
    ctx,
    (job) => {
      job.openaiBatch = { id: `batch_${job.id}`, endpoint: BATCH_ENDPOINT, completionWindow: req.completion_window, metadata: req.metadata ?? null };
      // Bedrock job names allow letters, digits and hyphens: the batch id without its underscore.
      job.jobName = `openai-batch-${job.id}`;
      job.outputDataConfig.s3OutputDataConfig.s3Uri = `s3://${input.bucket}/${folder}${job.openaiBatch.id}/`;
    },
  );
  return json(ctx, batchObject(job));
}

function findBatch(ctx: OpContext, id: string | undefined): Job {
  const jobId = id?.startsWith('batch_') ? id.slice('batch_'.length) : undefined;
  const job = jobId ? ctx.emu.jobs.store.get(ctx, jobId) : undefined;
  if (!job?.openaiBatch) throw new ApiError(404, `No batch found with id '${id}'.`, null, 'not_found');
  return job;
}

export const retrieveBatch = (_body: Uint8Array, ctx: OpContext, { id }: { id?: string }) => json(ctx, batchObject(findBatch(ctx, id)));

export function cancelBatch(_body: Uint8Array, ctx: OpContext, { id }: { id?: string }): Answer {
  const job = findBatch(ctx, id);
  // A batch already cancelling answers as it stands (cancel is idempotent); a finished one can't be cancelled.
  if (isTerminal(job.status)) throw new ApiError(409, `Cannot cancel a batch with status '${batchObject(job).status}'.`, null, 'batch_not_cancellable');
  if (job.status !== 'Stopping') ctx.emu.jobs.engine.stop(job);
  return json(ctx, batchObject(ctx.emu.jobs.store.get(ctx, job.id)!));
}

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), after: z.string().optional() });

/** Newest first; `after` is the id of the last batch of the previous page. */
export function listBatches(_body: Uint8Array, ctx: OpContext, { query }: { query: URLSearchParams }): Answer {
  const parsed = listQuery.safeParse(Object.fromEntries(query));
  if (!parsed.success) throw issueError(parsed.error);
  const { limit, after } = parsed.data;
  const batches = ctx.emu.jobs.store
    .list(ctx)
    .filter((j) => j.openaiBatch)
    .sort((a, b) => b.submitTime - a.submitTime || (a.id < b.id ? 1 : -1));
  const from = after ? batches.findIndex((j) => j.openaiBatch!.id === after) + 1 : 0;
  if (after && from === 0) throw new ApiError(400, `Invalid value for 'after': no batch with id '${after}'.`, 'after', 'invalid_value');
  const page = batches.slice(from, from + limit).map(batchObject);
  return json(ctx, { object: 'list', data: page, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null, has_more: from + limit < batches.length });
}
