// runOpenAIBatch: a batch through the OpenAI Batch API of Bedrock's runtime host (/openai/v1/batches), as AWS
// documents it — the requests as OpenAI batch JSONL in S3, create with the X-Amzn-Bedrock-RoleArn and
// X-Amzn-Bedrock-ModelId headers, poll until the batch ends, read `.jsonl.out` / `.jsonl.err` next to the input and
// join them by custom_id. Plain fetch with a Bedrock API key (no OpenAI SDK needed); against AWS or the emulator.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, type BackoffOptions } from './wait.js';

/** One request of the batch: its id and a Chat Completions body (`model` may be left out). */
export interface OpenAIBatchRequest {
  custom_id: string;
  body: Record<string, unknown>;
}

/** OpenAI's batch object, as the runtime host answers it (the fields this client reads). */
export interface OpenAIBatch {
  id: string;
  status: string;
  output_file_id: string | null;
  error_file_id: string | null;
  request_counts?: { total: number; completed: number; failed: number };
  errors?: { data?: { message: string }[] } | null;
  [field: string]: unknown;
}

/** A request's outcome: the chat.completion body, or the error the .err file gives; `missing` if neither file has it. */
export interface OpenAIBatchResult {
  custom_id: string;
  status_code?: number;
  body?: Record<string, any>;
  error?: { code?: string; message: string };
  missing?: true;
}

export interface OpenAIBatchOptions extends BackoffOptions {
  /** `https://bedrock-runtime.{region}.amazonaws.com/openai/v1`, or an emulator's `openaiBaseURL`. */
  baseURL: string;
  /** A Bedrock API key (sent as `Authorization: Bearer`). */
  apiKey: string;
  /** The batch's model (X-Amzn-Bedrock-ModelId), e.g. openai.gpt-oss-20b-1:0. */
  model: string;
  /** The batch service role (X-Amzn-Bedrock-RoleArn). */
  roleArn: string;
  requests: readonly OpenAIBatchRequest[];
  /** Where the input goes: results land in `{folder of key}/{batch id}/`. */
  bucket: string;
  key: string;
  s3: S3Client;
  metadata?: Record<string, string>;
  onUpdate?: (batch: OpenAIBatch) => void;
  signal?: AbortSignal;
}

const FINAL = ['completed', 'failed', 'expired', 'cancelled'];

export class OpenAIBatchError extends Error {
  constructor(
    readonly status: number,
    readonly error: unknown,
  ) {
    super(`OpenAI Batch API answered ${status}: ${JSON.stringify(error)}`);
  }
}

async function call(o: OpenAIBatchOptions, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<OpenAIBatch> {
  const res = await fetch(`${o.baseURL.replace(/\/$/, '')}${path}`, {
    method,
    headers: { authorization: `Bearer ${o.apiKey}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: o.signal,
  });
  const answer = await res.json();
  if (!res.ok) throw new OpenAIBatchError(res.status, answer.error ?? answer);
  return answer;
}

/** Uploads the requests and creates the batch; returns the batch object as created. */
export async function submitOpenAIBatch(o: OpenAIBatchOptions): Promise<OpenAIBatch> {
  const lines = o.requests.map((r) => JSON.stringify({ custom_id: r.custom_id, method: 'POST', url: '/v1/chat/completions', body: { model: o.model, ...r.body } }));
  await o.s3.send(new PutObjectCommand({ Bucket: o.bucket, Key: o.key, Body: lines.join('\n') + '\n', ContentType: 'application/jsonl' }), { abortSignal: o.signal });
  return call(
    o,
    'POST',
    '/batches',
    { input_file_id: `s3://${o.bucket}/${o.key}`, endpoint: '/v1/chat/completions', completion_window: '24h', ...(o.metadata ? { metadata: o.metadata } : {}) },
    { 'X-Amzn-Bedrock-RoleArn': o.roleArn, 'X-Amzn-Bedrock-ModelId': o.model },
  );
}

/** Polls the batch until it ends (completed, failed, expired or cancelled). */
export async function waitForOpenAIBatch(o: OpenAIBatchOptions, id: string): Promise<OpenAIBatch> {
  let attempt = 0;
  let seen = '';
  for (;;) {
    const batch = await call(o, 'GET', `/batches/${encodeURIComponent(id)}`);
    o.onUpdate?.(batch);
    if (FINAL.includes(batch.status)) return batch;
    if (batch.status !== seen) attempt = 0;
    seen = batch.status;
    await sleep(backoffDelay(attempt++, o), undefined, { signal: o.signal });
  }
}

async function readLines(s3: S3Client, uri: string | null, signal?: AbortSignal): Promise<Record<string, any>[]> {
  const m = uri && /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) return [];
  const out = await s3.send(new GetObjectCommand({ Bucket: m[1], Key: m[2] }), { abortSignal: signal });
  return (await out.Body!.transformToString()).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/** Submits, waits and joins the `.out` and `.err` lines to the requests by custom_id, in request order. */
export async function runOpenAIBatch(o: OpenAIBatchOptions): Promise<{ batch: OpenAIBatch; results: OpenAIBatchResult[] }> {
  const created = await submitOpenAIBatch(o);
  const batch = await waitForOpenAIBatch(o, created.id);
  const lines = [...(await readLines(o.s3, batch.output_file_id, o.signal)), ...(await readLines(o.s3, batch.error_file_id, o.signal))];
  const byId = new Map(lines.map((l) => [l.custom_id as string, l]));
  const results = o.requests.map((r): OpenAIBatchResult => {
    const line = byId.get(r.custom_id);
    if (!line) return { custom_id: r.custom_id, missing: true };
    const status = line.response?.status_code as number | undefined;
    if (status === 200) return { custom_id: r.custom_id, status_code: status, body: line.response.body };
    return { custom_id: r.custom_id, status_code: status, error: line.error ?? line.response?.body?.error };
  });
  return { batch, results };
}
