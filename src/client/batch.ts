// runBatch: one call that runs a whole batch on Bedrock — write JSONL, upload, split within the quotas, create
// the jobs, wait, download and join — against AWS or the emulator with the same code (only the clients'
// endpoints and credentials differ, and those come from the SDK's own configuration).
import { CreateModelInvocationJobCommand, type Tag } from '@aws-sdk/client-bedrock';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_QUOTAS } from '../emulator/jobs/quotas.js';
import { defaultClients, type BatchClients } from './clients.js';
import { InputError, parseJsonl, recordIdFor, toJsonlLine, withRecordIds, type BatchRecord, type RecordResult } from './jsonl.js';
import { downloadResults, type JobResult, type Totals } from './results.js';
import { splitRecords } from './split.js';
import { backoffDelay, isTerminal, waitForJob, type BackoffOptions, type JobDetails } from './wait.js';

export interface Progress {
  /** Jobs the batch was split into. */
  jobs: number;
  submittedJobs: number;
  finishedJobs: number;
  totalRecords: number;
  /** From GetModelInvocationJob's live counts, summed over the jobs. */
  processedRecords: number;
  successRecords: number;
  errorRecords: number;
  /** Each submitted job's latest status, by ARN. */
  statuses: Record<string, string>;
}

export interface SubmittedJob {
  jobArn: string;
  jobName: string;
  /** 0-based index of the part of the batch this job runs. */
  part: number;
  inputUri: string;
  outputUri: string;
  recordCount: number;
}

export interface BatchResult<O = unknown> {
  /** One per job, in part order, with its final status and manifest. */
  jobs: JobResult[];
  /** One per record, in input order where the input is known, joined by recordId. */
  records: RecordResult<O>[];
  /** The manifests' counts summed over the jobs. */
  totals: Totals;
}

export interface SubmitOptions extends BackoffOptions {
  /** Model id, inference profile id or ARN, as CreateModelInvocationJob takes it. */
  model: string;
  /** Region of the default clients (ignored when `clients` is given). */
  region?: string;
  records?: readonly BatchRecord<unknown>[];
  /** A local JSONL file, instead of `records`. */
  inputFile?: string;
  bucket: string;
  /** Key prefix for the batch's input and output (`<prefix>/<jobName>/input/…`, `…/output/`). */
  prefix?: string;
  roleArn: string;
  /**
   * Names the jobs (`<jobName>`, or `<jobName>-<i>of<n>` when split) and keys their clientRequestTokens: calling
   * again with the same jobName and records after a crash returns the jobs already created instead of new ones.
   * Default: `batch-<time>-<random>`.
   */
  jobName?: string;
  clients?: BatchClients;
  modelInvocationType?: 'InvokeModel' | 'Converse';
  timeoutDurationInHours?: number;
  tags?: Tag[];
  /** Bedrock's batch quotas; the defaults are AWS's published ones. */
  maxRecordsPerFile?: number;
  maxRecordsPerJob?: number;
  minRecordsPerJob?: number;
  maxBytesPerFile?: number;
  maxBytesPerJob?: number;
  /** Called once per job as soon as it exists: keep the ARNs to resumeBatch after a crash. */
  onJobCreated?: (job: SubmittedJob) => void;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export interface RunBatchOptions extends SubmitOptions {
  /** Jobs of this batch submitted or in progress at once (Bedrock's per-model quota; default 10). */
  maxConcurrentJobs?: number;
}

const JOB_NAME = /^[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9+\-.]){0,63}$/;
const S3_SEGMENT = /^[-!_*'().a-zA-Z0-9]+$/;

/** Runs a batch to the end: its jobs' final statuses, every record's output or error, and the totals. */
export async function runBatch<O = unknown>(o: RunBatchOptions): Promise<BatchResult<O>> {
  const clients = o.clients ?? defaultClients(o.region);
  const { records, parts } = plan(o);
  const progress = new ProgressTracker(parts.length, records.length, o.onProgress);
  const limit = o.maxConcurrentJobs ?? 10;
  return cancellable(o.signal, async (signal) => {
    const inFlight = new Set<Promise<void>>();
    const finals: Promise<JobDetails>[] = [];
    let failure: unknown;
    for (const part of parts) {
      // Our own jobs count against the per-model quota: submit the next one when one of them ends.
      while (inFlight.size >= limit) await Promise.race(inFlight);
      if (failure) throw failure;
      const job = await submitPart(clients, part, { ...o, signal }, inFlight);
      progress.submitted(job.jobArn);
      o.onJobCreated?.(job);
      const done = waitForJob(clients.bedrock, job.jobArn, { ...o, signal, onUpdate: (d) => progress.update(d) });
      const slot: Promise<void> = done.then(
        () => void inFlight.delete(slot),
        (e) => {
          failure ??= e;
          inFlight.delete(slot);
        },
      );
      inFlight.add(slot);
      finals.push(done);
    }
    const partOf = new Map(parts.flatMap((p) => p.recordIds.map((id) => [id, p.index] as const)));
    return collect<O>(clients, await Promise.all(finals), records, signal, partOf);
  });
}

/** Uploads and creates every job, then returns without waiting (quota refusals are waited out and retried). */
export async function submitBatch(o: SubmitOptions): Promise<{ jobs: SubmittedJob[]; recordIds: string[] }> {
  const clients = o.clients ?? defaultClients(o.region);
  const { records, parts } = plan(o);
  const progress = new ProgressTracker(parts.length, records.length, o.onProgress);
  const jobs: SubmittedJob[] = [];
  for (const part of parts) {
    const job = await submitPart(clients, part, o, new Set());
    progress.submitted(job.jobArn);
    o.onJobCreated?.(job);
    jobs.push(job);
  }
  return { jobs, recordIds: records.map((r) => r.recordId) };
}

export interface ResumeOptions extends BackoffOptions {
  jobArns: readonly string[];
  clients?: BatchClients;
  region?: string;
  /** The batch's input, to return results in input order and name records that got no output. */
  records?: readonly BatchRecord<unknown>[];
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

/** Picks up jobs a crashed (or non-waiting) caller left: waits for each, downloads and joins their outputs. */
export async function resumeBatch<O = unknown>(o: ResumeOptions): Promise<BatchResult<O>> {
  const clients = o.clients ?? defaultClients(o.region);
  const progress = new ProgressTracker(o.jobArns.length, o.records?.length ?? 0, o.onProgress);
  o.jobArns.forEach((arn) => progress.submitted(arn));
  const input = o.records?.map((r, i) => {
    if (r.recordId === undefined) throw new InputError(`Record ${i + 1} has no recordId: give resumeBatch the records with the recordIds the jobs ran (see submitBatch's recordIds).`);
    return { recordId: r.recordId, modelInput: r.modelInput };
  });
  return cancellable(o.signal, async (signal) => {
    const details = await Promise.all(o.jobArns.map((arn) => waitForJob(clients.bedrock, arn, { ...o, signal, onUpdate: (d) => progress.update(d) })));
    return collect<O>(clients, details, input, signal);
  });
}

/** Runs fn with a signal that also fires when fn fails, so that no poller outlives the call. */
async function cancellable<T>(outer: AbortSignal | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const own = new AbortController();
  try {
    return await fn(outer ? AbortSignal.any([outer, own.signal]) : own.signal);
  } catch (e) {
    own.abort(e);
    throw e;
  }
}

interface Part {
  index: number;
  jobName: string;
  files: { key: string; body: string }[];
  inputUri: string;
  outputUri: string;
  recordCount: number;
  recordIds: string[];
  clientRequestToken: string;
}

function plan(o: SubmitOptions): { records: Required<BatchRecord<unknown>>[]; parts: Part[] } {
  if (!o.records === !o.inputFile) throw new InputError('Give either records or inputFile.');
  const runName = o.jobName ?? `batch-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
  // Derived from the batch's name and the record's place, so that running the same batch again sends the same
  // bytes (and so reuses its jobs through their clientRequestTokens).
  const records = withRecordIds(o.records ?? readInputFile(o.inputFile!), (i) => recordIdFor(runName, i));
  if (!JOB_NAME.test(runName) || runName.length > 63) {
    throw new InputError(`jobName '${runName}' is not a valid batch job name: 1-63 letters, digits, '-', '+' or '.', starting with a letter or digit.`);
  }
  const prefix = (o.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const bad = prefix.split('/').find((s) => prefix && !S3_SEGMENT.test(s));
  if (bad !== undefined) throw new InputError(`prefix '${o.prefix}' has a segment Bedrock won't take in an S3 URI ('${bad}'): use letters, digits and - _ . ! * ' ( ).`);
  const base = [prefix, runName].filter(Boolean).join('/');
  const split = splitRecords(
    records.map((r) => ({ recordId: r.recordId, line: toJsonlLine(r) })),
    {
      maxRecordsPerFile: o.maxRecordsPerFile ?? DEFAULT_QUOTAS.maxRecordsPerFile,
      maxRecordsPerJob: o.maxRecordsPerJob ?? DEFAULT_QUOTAS.maxRecordsPerJob,
      minRecordsPerJob: o.minRecordsPerJob ?? DEFAULT_QUOTAS.minRecordsPerJob,
      maxBytesPerFile: o.maxBytesPerFile ?? DEFAULT_QUOTAS.maxInputFileBytes,
      maxBytesPerJob: o.maxBytesPerJob ?? DEFAULT_QUOTAS.maxJobBytes,
    },
    (r) => Buffer.byteLength(r.line),
  );
  const parts = split.map((files, index): Part => {
    const suffix = split.length > 1 ? `-${index + 1}of${split.length}` : '';
    const folder = `${base}/input/part-${index + 1}/`;
    const bodies = files.map((f, i) => ({ key: `${folder}records-${i + 1}.jsonl`, body: f.map((r) => r.line).join('') }));
    const inputUri = `s3://${o.bucket}/${folder}`;
    const content = createHash('sha256');
    for (const f of bodies) content.update(f.body);
    return {
      index,
      jobName: runName.slice(0, 63 - suffix.length) + suffix,
      files: bodies,
      inputUri,
      outputUri: `s3://${o.bucket}/${base}/output/`,
      recordCount: files.reduce((n, f) => n + f.length, 0),
      recordIds: files.flat().map((r) => r.recordId),
      // Same batch, same part, same content → same token: a repeated create returns the job already made.
      clientRequestToken: createHash('sha256').update(JSON.stringify([runName, index, o.model, inputUri, content.digest('hex')])).digest('hex'),
    };
  });
  return { records, parts };
}

function readInputFile(file: string): BatchRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `Input file ${file} does not exist.` : `Can't read input file ${file}: ${(e as Error).message}`);
  }
  return parseJsonl(text, file);
}

async function submitPart(clients: BatchClients, part: Part, o: SubmitOptions, inFlight: Set<Promise<unknown>>): Promise<SubmittedJob> {
  for (const f of part.files) await upload(clients, o.bucket, f, o.signal);
  const command = new CreateModelInvocationJobCommand({
    jobName: part.jobName,
    roleArn: o.roleArn,
    modelId: o.model,
    clientRequestToken: part.clientRequestToken,
    inputDataConfig: { s3InputDataConfig: { s3Uri: part.inputUri } },
    outputDataConfig: { s3OutputDataConfig: { s3Uri: part.outputUri } },
    modelInvocationType: o.modelInvocationType,
    timeoutDurationInHours: o.timeoutDurationInHours,
    tags: o.tags,
  });
  for (let attempt = 0; ; attempt++) {
    try {
      const { jobArn } = await clients.bedrock.send(command, { abortSignal: o.signal });
      return { jobArn: jobArn!, jobName: part.jobName, part: part.index, inputUri: part.inputUri, outputUri: part.outputUri, recordCount: part.recordCount };
    } catch (e) {
      // The per-model jobs quota is full (other jobs of this account): wait for a slot, then ask again.
      if ((e as Error).name !== 'ServiceQuotaExceededException') throw e;
      if (inFlight.size) await Promise.race(inFlight);
      else await sleep(backoffDelay(attempt, o), undefined, { signal: o.signal });
    }
  }
}

/** lib-storage sends bodies over 5 MB as a multipart upload. It takes a controller, not a signal. */
async function upload(clients: BatchClients, bucket: string, file: { key: string; body: string }, signal?: AbortSignal) {
  signal?.throwIfAborted();
  const controller = new AbortController();
  const forward = () => controller.abort(signal!.reason);
  signal?.addEventListener('abort', forward, { once: true });
  try {
    await new Upload({ client: clients.s3, params: { Bucket: bucket, Key: file.key, Body: file.body, ContentType: 'application/jsonl' }, abortController: controller }).done();
  } finally {
    signal?.removeEventListener('abort', forward);
  }
}

/** Downloads the jobs' output and joins it to the input; `partOf` names the job each record went to. */
async function collect<O>(
  clients: BatchClients,
  details: JobDetails[],
  input: { recordId: string; modelInput: unknown }[] | undefined,
  signal: AbortSignal,
  partOf?: Map<string, number>,
): Promise<BatchResult<O>> {
  const downloaded = await downloadResults(clients, details, { signal });
  const outputs = downloaded.records as RecordResult<O>[];
  if (!input) return { jobs: downloaded.jobs, records: outputs, totals: downloaded.totals };
  const byId = new Map(outputs.map((r) => [r.recordId, r]));
  const ended = (j: JobResult) => `job ${j.jobArn} ended ${j.status}${j.message ? ` (${j.message})` : ''}`;
  const why = (recordId: string) => {
    const part = partOf?.get(recordId);
    return `No output line for this record: ${part === undefined ? downloaded.jobs.map(ended).join('; ') : ended(downloaded.jobs[part])}.`;
  };
  return {
    jobs: downloaded.jobs,
    records: input.map((r) => byId.get(r.recordId) ?? { recordId: r.recordId, modelInput: r.modelInput, missing: why(r.recordId) }),
    totals: downloaded.totals,
  };
}

class ProgressTracker {
  private readonly live = new Map<string, JobDetails>();
  private readonly statuses: Record<string, string> = {};

  constructor(
    private readonly jobs: number,
    private readonly totalRecords: number,
    private readonly onProgress?: (p: Progress) => void,
  ) {}

  submitted(jobArn: string) {
    this.statuses[jobArn] = 'Submitted';
    this.emit();
  }

  update(job: JobDetails) {
    this.live.set(job.jobArn!, job);
    this.statuses[job.jobArn!] = job.status!;
    this.emit();
  }

  private emit() {
    if (!this.onProgress) return;
    const sum = (k: 'processedRecordCount' | 'successRecordCount' | 'errorRecordCount' | 'totalRecordCount') =>
      [...this.live.values()].reduce((n, j) => n + (j[k] ?? 0), 0);
    this.onProgress({
      jobs: this.jobs,
      submittedJobs: Object.keys(this.statuses).length,
      finishedJobs: Object.values(this.statuses).filter(isTerminal).length,
      totalRecords: this.totalRecords || sum('totalRecordCount'),
      processedRecords: sum('processedRecordCount'),
      successRecords: sum('successRecordCount'),
      errorRecords: sum('errorRecordCount'),
      statuses: { ...this.statuses },
    });
  }
}
