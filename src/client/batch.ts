// runBatch: one call that runs a whole batch on Bedrock — against AWS or the emulator, the same code path (only
// endpoints and credentials differ, from the SDKs' own configuration and AWS_ENDPOINT_URL_* variables).
import { BedrockClient, CreateModelInvocationJobCommand, GetModelInvocationJobCommand, type GetModelInvocationJobCommandOutput } from '@aws-sdk/client-bedrock';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseJsonl, parseOutputLine, splitRecords, toJsonl, withRecordIds, type BatchRecord, type RecordResult } from './jsonl.js';

export interface BatchClients {
  bedrock: BedrockClient;
  s3: S3Client;
}

export interface Progress {
  jobs: number;
  finishedJobs: number;
  totalRecords: number;
  processedRecords: number;
  successRecords: number;
  errorRecords: number;
}

export interface Totals {
  totalRecordCount: number;
  processedRecordCount: number;
  successRecordCount: number;
  errorRecordCount: number;
  inputTokenCount: number;
  outputTokenCount: number;
}

export interface JobOutcome {
  jobArn: string;
  status: string;
  message?: string;
}

export interface BatchResult {
  jobs: JobOutcome[];
  /** One entry per record, joined by recordId, in input order where the input is known. */
  records: RecordResult[];
  totals: Totals;
}

export interface RunBatchOptions {
  model: string;
  region?: string;
  records?: BatchRecord[];
  /** A local JSONL file, as an alternative to `records`. */
  inputFile?: string;
  bucket: string;
  prefix?: string;
  roleArn: string;
  jobName?: string;
  clients?: BatchClients;
  modelInvocationType?: 'InvokeModel' | 'Converse';
  timeoutDurationInHours?: number;
  maxRecordsPerFile?: number;
  maxRecordsPerJob?: number;
  minRecordsPerJob?: number;
  /** Jobs submitted at once (Bedrock's per-model quota of submitted + in-progress jobs). */
  maxConcurrentJobs?: number;
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  onProgress?: (p: Progress) => void;
  /** When false, returns after creating the jobs (their ARNs in `jobs`), without waiting or downloading. */
  wait?: boolean;
  signal?: AbortSignal;
}

const TERMINAL = new Set(['Completed', 'PartiallyCompleted', 'Failed', 'Stopped', 'Expired']);

export const defaultClients = (region?: string): BatchClients => ({ bedrock: new BedrockClient({ region }), s3: new S3Client({ region }) });

export async function runBatch(o: RunBatchOptions): Promise<BatchResult> {
  const clients = o.clients ?? defaultClients(o.region);
  const records = withRecordIds(o.records ?? parseJsonl(readFileSync(o.inputFile!, 'utf8'), o.inputFile));
  const parts = splitRecords(records, {
    maxRecordsPerFile: o.maxRecordsPerFile ?? 50_000,
    maxRecordsPerJob: o.maxRecordsPerJob ?? 50_000,
    minRecordsPerJob: o.minRecordsPerJob ?? 100,
  });
  const runId = `${o.jobName ?? 'batch'}-${randomUUID().slice(0, 8)}`;
  const base = `${(o.prefix ?? 'bedrock-batch').replace(/\/+$/, '')}/${runId}`;
  const concurrency = o.maxConcurrentJobs ?? 10;
  const jobArns: string[] = [];
  const outcomes: JobOutcome[] = [];
  const live = new Map<string, GetModelInvocationJobCommandOutput>();
  const report = () =>
    o.onProgress?.({
      jobs: parts.length,
      finishedJobs: outcomes.length,
      totalRecords: records.length,
      processedRecords: sumOf(live, 'processedRecordCount'),
      successRecords: sumOf(live, 'successRecordCount'),
      errorRecords: sumOf(live, 'errorRecordCount'),
    });

  const waiting: Promise<void>[] = [];
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < parts.length; i++) {
    const dir = `${base}/job-${i}`;
    for (let f = 0; f < parts[i].length; f++) {
      await new Upload({ client: clients.s3, params: { Bucket: o.bucket, Key: `${dir}/input/part-${f}.jsonl`, Body: toJsonl(parts[i][f]) } }).done();
    }
    const { jobArn } = await clients.bedrock.send(
      new CreateModelInvocationJobCommand({
        jobName: `${runId}-${i}`.replace(/[^a-zA-Z0-9+\-.]/g, '-').slice(0, 63),
        roleArn: o.roleArn,
        modelId: o.model,
        // Deterministic per part: a retried create returns the same job instead of a second one.
        clientRequestToken: createHash('sha256').update(`${runId}/${i}`).digest('hex').slice(0, 64),
        inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://${o.bucket}/${dir}/input/` } },
        outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://${o.bucket}/${dir}/output/` } },
        modelInvocationType: o.modelInvocationType,
        timeoutDurationInHours: o.timeoutDurationInHours,
      }),
      { abortSignal: o.signal as never },
    );
    jobArns.push(jobArn!);
    if (o.wait === false) continue;
    const done: Promise<void> = waitForJob(clients.bedrock, jobArn!, { pollIntervalMs: o.pollIntervalMs, maxPollIntervalMs: o.maxPollIntervalMs, signal: o.signal, onUpdate: (j) => (live.set(jobArn!, j), report()) }).then((j) => {
      outcomes.push({ jobArn: jobArn!, status: j.status!, message: j.message });
      inFlight.delete(done);
      report();
    });
    waiting.push(done);
    inFlight.add(done);
    // Respect the quota of jobs in flight per model before submitting the next one.
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  if (o.wait === false) return { jobs: jobArns.map((jobArn) => ({ jobArn, status: 'Submitted' })), records: [], totals: emptyTotals() };
  await Promise.all(waiting);
  const downloaded = await downloadResults(clients, jobArns);
  const byId = new Map(downloaded.records.map((r) => [r.recordId, r]));
  return {
    jobs: jobArns.map((arn) => outcomes.find((x) => x.jobArn === arn)!),
    records: records.map((r) => byId.get(r.recordId) ?? { recordId: r.recordId, modelInput: r.modelInput, error: { errorCode: 0, errorMessage: 'No output for this record (the job did not process it).' } }),
    totals: downloaded.totals,
  };
}

/** Picks up jobs a crashed caller left: waits for each and joins their outputs. */
export async function resumeBatch(o: { jobArns: string[]; clients?: BatchClients; region?: string; onProgress?: (p: Progress) => void; pollIntervalMs?: number }): Promise<BatchResult> {
  const clients = o.clients ?? defaultClients(o.region);
  const jobs = await Promise.all(o.jobArns.map((arn) => waitForJob(clients.bedrock, arn, { pollIntervalMs: o.pollIntervalMs })));
  const { records, totals } = await downloadResults(clients, o.jobArns);
  return { jobs: jobs.map((j) => ({ jobArn: j.jobArn!, status: j.status!, message: j.message })), records, totals };
}

/** Polls until the job is terminal, backing off from pollIntervalMs to maxPollIntervalMs. */
export async function waitForJob(
  bedrock: BedrockClient,
  jobArn: string,
  o: { pollIntervalMs?: number; maxPollIntervalMs?: number; signal?: AbortSignal; onUpdate?: (job: GetModelInvocationJobCommandOutput) => void } = {},
): Promise<GetModelInvocationJobCommandOutput> {
  let interval = o.pollIntervalMs ?? 5_000;
  for (;;) {
    const job = await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }), { abortSignal: o.signal as never });
    o.onUpdate?.(job);
    if (TERMINAL.has(job.status!)) return job;
    await sleep(interval, undefined, { signal: o.signal });
    interval = Math.min(interval * 1.5, o.maxPollIntervalMs ?? 60_000);
  }
}

/** Downloads every `.out` file and manifest of the jobs and joins the records by recordId. */
export async function downloadResults(clients: BatchClients, jobArns: string[]): Promise<{ records: RecordResult[]; totals: Totals }> {
  const records: RecordResult[] = [];
  const totals = emptyTotals();
  for (const arn of jobArns) {
    const job = await clients.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: arn }));
    const out = job.outputDataConfig!.s3OutputDataConfig!.s3Uri!;
    const [, bucket, prefix = ''] = /^s3:\/\/([^/]+)\/?(.*)$/.exec(out)!;
    const dir = `${prefix.replace(/\/?$/, '/').replace(/^\/$/, '')}${arn.split('/').pop()}/`;
    let token: string | undefined;
    do {
      const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: dir, ContinuationToken: token }));
      for (const obj of page.Contents ?? []) {
        const text = await (await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: obj.Key! }))).Body!.transformToString();
        if (obj.Key!.endsWith('manifest.json.out')) {
          const m = JSON.parse(text) as Totals;
          for (const k of Object.keys(totals) as (keyof Totals)[]) totals[k] += m[k] ?? 0;
        } else if (obj.Key!.endsWith('.out')) {
          for (const line of text.split('\n')) if (line.trim()) records.push(parseOutputLine(line));
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  return { records, totals };
}

const emptyTotals = (): Totals => ({ totalRecordCount: 0, processedRecordCount: 0, successRecordCount: 0, errorRecordCount: 0, inputTokenCount: 0, outputTokenCount: 0 });
const sumOf = (m: Map<string, GetModelInvocationJobCommandOutput>, k: 'processedRecordCount' | 'successRecordCount' | 'errorRecordCount') =>
  [...m.values()].reduce((n, j) => n + (j[k] ?? 0), 0);
