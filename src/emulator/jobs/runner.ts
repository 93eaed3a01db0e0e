// InProgress: streams each input file from S3, answers every record with the fake model, and streams the
// `.jsonl.out` file back with a multipart upload, so memory stays flat whatever the input size. A file's output
// object only appears once complete; its checkpoint is written right after, so a restart redoes at most one file
// (the one a kill or a shutdown interrupted, whose upload was never completed).
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Clock } from '../clock.js';
import { AwsError, isAwsError } from '../errors.js';
import { fromFakeModel } from '../model-errors.js';
import { MODELS } from '../protocol/service-model.js';
import { coerce, throwIssues, type Issues } from '../protocol/validate.js';
import { parseS3Uri, readLines, type S3Objects } from '../s3/objects.js';
import { converse, invokeModel, type ScriptBook } from '../../fake-models/index.js';
import { getModel, type Catalog } from '../../registry/index.js';
import type { InputFile } from './input.js';
import { recordIdFrom } from './record-id.js';
import type { FileCheckpoint, Job } from './store.js';

export interface RunContext {
  s3: S3Objects;
  clock: Clock;
  scripts: ScriptBook;
  catalog: Catalog;
  signal: AbortSignal;
  /** Called every few records with the job's live counts (not yet durable). */
  progress(delta: { processed: number; success: number; error: number; inputTokens: number; outputTokens: number }): void;
  /** Called when a file's output object is complete. */
  fileDone(file: FileCheckpoint): void;
}

const TOOLS_IN_BATCH =
  "Batch inference doesn't support tool calling for jobs that use the Converse invocation type. To use tool calling, create the job with the InvokeModel invocation type and the model's native request format.";

/** AWS adds an 11-character alphanumeric recordId to records without one; here derived from the job and position. */
export const generatedRecordId = (jobId: string, key: string, line: number): string => recordIdFrom(`${jobId}\u0000${key}\u0000${line}`);

/** `<output uri>/<jobId>/<input path relative to the input prefix>.out` */
export function outputKey(job: Job, inputKey: string): { bucket: string; key: string } {
  const out = parseS3Uri(job.outputDataConfig.s3OutputDataConfig.s3Uri)!;
  const inUri = parseS3Uri(job.inputDataConfig.s3InputDataConfig.s3Uri)!;
  const base = inUri.key.endsWith('.jsonl') && inUri.key === inputKey ? inputKey.slice(inputKey.lastIndexOf('/') + 1) : inputKey.slice(inUri.key.replace(/\/?$/, '/').length);
  return { bucket: out.bucket, key: `${out.key.replace(/\/?$/, '/').replace(/^\/$/, '')}${job.id}/${base}.out` };
}

export const manifestKey = (job: Job) => {
  const out = parseS3Uri(job.outputDataConfig.s3OutputDataConfig.s3Uri)!;
  return { bucket: out.bucket, key: `${out.key.replace(/\/?$/, '/').replace(/^\/$/, '')}${job.id}/manifest.json.out` };
};

function answer(job: Job, modelInput: unknown, recordId: string, scripts: ScriptBook, catalog: Catalog): { modelOutput?: unknown; error?: { errorCode: number; errorMessage: string }; inputTokens: number; outputTokens: number } {
  if (job.failureRate > 0) {
    const h = createHash('sha256').update(`${job.id}\u0000${recordId}`).digest().readUInt32BE(0) / 2 ** 32;
    if (h < job.failureRate) return { error: { errorCode: 500, errorMessage: 'Internal server error (injected by the emulator).' }, inputTokens: 0, outputTokens: 0 };
  }
  const model = getModel(job.baseModelId, catalog)!;
  const call = { family: model.family, modelId: model.id, scripts };
  try {
    if (job.modelInvocationType === 'Converse') {
      // A Converse record is a ConverseRequest body: the service model's constraints apply as on the runtime API.
      const issues: Issues = { constraints: [], types: [] };
      // The coerced request (blobs as bytes) is what the runtime API hands the fake model too.
      const request = coerce(MODELS['bedrock-runtime'], { shape: 'ConverseRequest' }, modelInput, '', issues);
      throwIssues(issues);
      // AWS's batch page: "Records that include toolConfig fail with a 400 error" in Converse-type jobs.
      if ((request as { toolConfig?: unknown }).toolConfig) throw new AwsError('ValidationException', TOOLS_IN_BATCH);
      const { delayMs: _d, ...out } = fromFakeModel(() => converse(call, request as never));
      return { modelOutput: out, inputTokens: out.usage.inputTokens, outputTokens: out.usage.outputTokens };
    }
    const out = fromFakeModel(() => invokeModel(call, modelInput));
    return { modelOutput: out.body, inputTokens: out.inputTokens, outputTokens: out.outputTokens };
  } catch (e) {
    if (!isAwsError(e)) throw e;
    return { error: { errorCode: e.status, errorMessage: e.message }, inputTokens: 0, outputTokens: 0 };
  }
}

/**
 * Waits on the emulator clock for record number `record` (1-based) of a run that began at `start`, at the job's
 * pace; false once the job's signal has aborted. Asked before each record, so a run stops only between two records
 * and a record is wholly in the output or not at all.
 */
export async function recordTurn(ctx: RunContext, job: Job, start: number, record: number): Promise<boolean> {
  const rate = job.recordsPerSecond;
  const due = start + (record / rate) * 1000;
  if (!ctx.signal.aborted && rate && ctx.clock.now() < due) {
    const signal = ctx.signal;
    await new Promise<void>((resolve) => {
      // One wait per record: the abort listener goes when the wait ends, or they pile up on the job's signal.
      const onAbort = () => (cancel(), resolve());
      const cancel = ctx.clock.at(due, () => (signal.removeEventListener('abort', onAbort), resolve()));
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
  return !ctx.signal.aborted;
}

/**
 * The abort reason of a shutdown (SIGTERM, Ctrl-C, the harness stopping): the file being written is abandoned, its
 * upload aborted and no checkpoint written, so a restart redoes it. Any other abort (StopModelInvocationJob, the
 * job's timeout) ends the file with the records written so far, as AWS keeps them.
 */
export const SHUTDOWN = 'shutdown';

/** One `.out` object being written. It becomes visible only through complete(); abandon() leaves nothing behind. */
export class OutputObject {
  private readonly body = new PassThrough({ highWaterMark: 1 << 20 });
  private readonly discard = new AbortController();
  private readonly upload: Promise<void>;
  private failure: unknown;

  constructor(s3: S3Objects, readonly bucket: string, readonly key: string) {
    this.upload = s3.upload(bucket, key, this.body, this.discard);
    // A failed upload (disk full, say) stops reading the body: stop writing then, rather than wait for a drain.
    this.upload.catch((e) => {
      this.failure ??= e;
      this.body.destroy();
    });
  }

  async write(line: string): Promise<void> {
    if (!this.failure && !this.body.write(line)) {
      await new Promise<void>((resolve) => {
        const done = () => (this.body.off('drain', done), this.body.off('close', done), resolve());
        this.body.on('drain', done).on('close', done);
      });
    }
    if (this.failure) throw this.writeError(this.failure);
  }

  async complete(): Promise<void> {
    if (!this.body.destroyed) this.body.end();
    await this.upload.catch((e) => {
      throw this.writeError(e);
    });
  }

  async abandon(): Promise<void> {
    this.discard.abort();
    if (!this.body.destroyed) this.body.end();
    await this.upload.catch(() => undefined);
  }

  private writeError(e: unknown) {
    const reason = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
    return new Error(`Amazon Bedrock couldn't write the output file s3://${this.bucket}/${this.key}: ${reason}`);
  }
}

/** Runs the files not yet checkpointed; stops early when the signal aborts (see SHUTDOWN for what is kept). */
export async function runFiles(job: Job, bucket: string, files: InputFile[], done: Set<string>, ctx: RunContext): Promise<void> {
  const start = ctx.clock.now();
  let processedSoFar = 0;
  for (const file of files) {
    if (done.has(file.key)) continue;
    if (ctx.signal.aborted) return;
    const target = outputKey(job, file.key);
    const out = new OutputObject(ctx.s3, target.bucket, target.key);
    const counts: FileCheckpoint = { key: file.key, processed: 0, success: 0, error: 0, inputTokens: 0, outputTokens: 0 };
    let interrupted = false;
    try {
      let lineNo = 0;
      for await (const line of readLines(ctx.s3, bucket, file.key)) {
        lineNo++;
        if (!line.trim()) continue;
        if (!(await recordTurn(ctx, job, start, processedSoFar + 1))) {
          interrupted = true;
          break;
        }
        const record = JSON.parse(line) as { recordId?: string; modelInput: unknown };
        const recordId = record.recordId ?? generatedRecordId(job.id, file.key, lineNo);
        const a = answer(job, record.modelInput, recordId, ctx.scripts, ctx.catalog);
        const outLine = a.error ? { recordId, modelInput: record.modelInput, error: a.error } : { recordId, modelInput: record.modelInput, modelOutput: a.modelOutput };
        await out.write(JSON.stringify(outLine) + '\n');
        const delta = { processed: 1, success: a.error ? 0 : 1, error: a.error ? 1 : 0, inputTokens: a.inputTokens, outputTokens: a.outputTokens };
        counts.processed++;
        counts.success += delta.success;
        counts.error += delta.error;
        counts.inputTokens += delta.inputTokens;
        counts.outputTokens += delta.outputTokens;
        processedSoFar++;
        ctx.progress(delta);
      }
    } catch (e) {
      await out.abandon();
      throw e;
    }
    if (interrupted && ctx.signal.reason === SHUTDOWN) return out.abandon();
    await out.complete();
    ctx.fileDone(counts);
  }
}

export async function writeManifest(s3: S3Objects, job: Job): Promise<void> {
  const target = manifestKey(job);
  const manifest = {
    totalRecordCount: job.totalRecordCount ?? 0,
    processedRecordCount: job.processedRecordCount ?? 0,
    successRecordCount: job.successRecordCount ?? 0,
    errorRecordCount: job.errorRecordCount ?? 0,
    inputTokenCount: job.inputTokenCount ?? 0,
    outputTokenCount: job.outputTokenCount ?? 0,
  };
  await s3.upload(target.bucket, target.key, JSON.stringify(manifest));
}
