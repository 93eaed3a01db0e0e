// Reading a finished job's output as AWS lays it out: `<output s3Uri>/<jobId>/<input file>.jsonl.out` per input
// file, and `manifest.json.out` with the job's totals.
import { GetModelInvocationJobCommand } from '@aws-sdk/client-bedrock';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { BatchClients } from './clients.js';
import { lines, parseOutputLine, type RecordResult } from './jsonl.js';
import type { JobDetails } from './wait.js';

/** The manifest's counts (`manifest.json.out`), summed over jobs where several ran. */
export interface Totals {
  totalRecordCount: number;
  processedRecordCount: number;
  successRecordCount: number;
  errorRecordCount: number;
  inputTokenCount: number;
  outputTokenCount: number;
}

export interface JobResult {
  jobArn: string;
  jobName?: string;
  status: string;
  /** Why the job failed or stopped, as Bedrock reports it. */
  message?: string;
  /** `s3://bucket/<output prefix>/<jobId>/`, where the `.out` files are. */
  outputUri: string;
  /** The job's manifest; absent when it wrote none (e.g. it failed validation). */
  totals?: Totals;
}

const emptyTotals = (): Totals => ({
  totalRecordCount: 0,
  processedRecordCount: 0,
  successRecordCount: 0,
  errorRecordCount: 0,
  inputTokenCount: 0,
  outputTokenCount: 0,
});

/** The folder a job writes to: its output s3Uri, then its 12-character id. */
export function jobOutputUri(job: Pick<JobDetails, 'jobArn' | 'outputDataConfig'>): string {
  const base = job.outputDataConfig?.s3OutputDataConfig?.s3Uri;
  if (!base || !job.jobArn) throw new Error(`Job ${job.jobArn} has no output location.`);
  return `${base.replace(/\/*$/, '/')}${job.jobArn.slice(job.jobArn.lastIndexOf('/') + 1)}/`;
}

/** Downloads every `.out` file and manifest of the jobs (ARNs, or details already fetched). Records in file order. */
export async function downloadResults(
  clients: BatchClients,
  jobs: readonly (string | JobDetails)[],
  o: { signal?: AbortSignal } = {},
): Promise<{ jobs: JobResult[]; records: RecordResult[]; totals: Totals }> {
  const records: RecordResult[] = [];
  const totals = emptyTotals();
  const results: JobResult[] = [];
  for (const j of jobs) {
    const job = typeof j === 'string' ? await clients.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: j }), { abortSignal: o.signal }) : j;
    const outputUri = jobOutputUri(job);
    const { bucket, key: prefix } = splitS3Uri(outputUri);
    const result: JobResult = { jobArn: job.jobArn!, jobName: job.jobName, status: job.status!, message: job.message, outputUri };
    for await (const key of listKeys(clients, bucket, prefix, o.signal)) {
      const name = key.slice(prefix.length);
      if (!name.endsWith('.out')) continue;
      const body = (await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: o.signal })).Body as AsyncIterable<Uint8Array>;
      if (name === 'manifest.json.out') {
        let text = '';
        for await (const line of lines(body)) text += line;
        result.totals = { ...emptyTotals(), ...pickCounts(JSON.parse(text)) };
        for (const k of Object.keys(totals) as (keyof Totals)[]) totals[k] += result.totals[k];
      } else {
        for await (const line of lines(body)) records.push(parseOutputLine(line));
      }
    }
    results.push(result);
  }
  return { jobs: results, records, totals };
}

export function splitS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`Not an s3:// URI: ${uri}`);
  return { bucket: m[1], key: m[2] };
}

async function* listKeys(clients: BatchClients, bucket: string, prefix: string, signal?: AbortSignal): AsyncGenerator<string> {
  let token: string | undefined;
  do {
    const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal: signal });
    for (const o of page.Contents ?? []) if (o.Key) yield o.Key;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

function pickCounts(m: Record<string, unknown>): Partial<Totals> {
  const out: Partial<Totals> = {};
  for (const k of Object.keys(emptyTotals()) as (keyof Totals)[]) if (typeof m[k] === 'number') out[k] = m[k] as number;
  return out;
}
