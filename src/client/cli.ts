// bedrock-batch: serve the emulator, submit a batch, watch it, read its results — against AWS or the emulator.
// The AWS SDK's own configuration decides where requests go (AWS_REGION, credentials, AWS_ENDPOINT_URL_*).
import { BedrockClient, GetModelInvocationJobCommand, ListFoundationModelsCommand, paginateListModelInvocationJobs } from '@aws-sdk/client-bedrock';
import { S3Client } from '@aws-sdk/client-s3';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_QUOTAS } from '../emulator/jobs/quotas.js';
import { getModel, isKnownRegion, listModels, REGIONS, resolveModel, systemProfilesInRegion } from '../registry/index.js';
import { runBatch, submitBatch, type Progress } from './batch.js';
import { InputError, parseJsonl, type BatchRecord, type RecordResult } from './jsonl.js';
import { OpenAIBatchError, runOpenAIBatch, submitOpenAIBatch } from './openai-batch.js';
import { formatProgress } from './progress.js';
import { downloadResults } from './results.js';
import { isTerminal, waitForJob } from './wait.js';

const USAGE = `Usage: bedrock-batch <command> [options]

Commands:
  serve [emulator options]     run the emulator (same options as npm start, e.g. --port, --timing)
  submit --model ID --input FILE|DIR --bucket B --role-arn ARN [--region R] [--prefix P] [--job-name N] [--wait]
                               upload JSONL records and create the batch job(s); --wait shows progress until they end
  status JOB                   a job's status and record counts (JOB: ARN or 12-character id)
  list [--status S] [--name-contains T]
                               batch jobs in the region
  results JOB [--format jsonl|table] [--wait]
                               download a finished job's output, one line per record
  models [--region R] [--offline]
                               models that run in batch in the region

Requests go where the AWS SDK's configuration says: AWS_REGION, credentials, and AWS_ENDPOINT_URL_BEDROCK /
AWS_ENDPOINT_URL_S3 to use the emulator (bedrock-batch serve prints them).

submit options: --invocation-type InvokeModel|Converse, --timeout-hours H, --min-records-per-job N (default:
Bedrock's 100, or against an emulator the minimum it is configured with, read from its /_emulator/config).
submit --api openai: through the runtime host's OpenAI Batch API instead. --input is OpenAI batch JSONL (lines
{"custom_id", "body"}); the key is --api-key or AWS_BEARER_TOKEN_BEDROCK; the base URL --base-url, else
AWS_ENDPOINT_URL_BEDROCK_RUNTIME + /openai/v1, else https://bedrock-runtime.REGION.amazonaws.com/openai/v1.
Every command: --skip-checks (don't check the model and region against this tool's tables, for newer ones).
`;

/** A mistake in the command line or its input: exit code 2. */
class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
const REGION: Options = { region: { type: 'string' }, 'skip-checks': { type: 'boolean' } };
const SPECS: Record<string, Options> = {
  submit: {
    ...REGION,
    model: { type: 'string' },
    input: { type: 'string' },
    bucket: { type: 'string' },
    prefix: { type: 'string' },
    'role-arn': { type: 'string' },
    'job-name': { type: 'string' },
    'invocation-type': { type: 'string' },
    'timeout-hours': { type: 'string' },
    'min-records-per-job': { type: 'string' },
    wait: { type: 'boolean' },
    api: { type: 'string' },
    'api-key': { type: 'string' },
    'base-url': { type: 'string' },
  },
  status: REGION,
  list: { ...REGION, status: { type: 'string' }, 'name-contains': { type: 'string' } },
  results: { ...REGION, format: { type: 'string' }, wait: { type: 'boolean' } },
  models: { ...REGION, offline: { type: 'boolean' } },
};

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
}

/** Runs one command; resolves to the exit code (-1: keep running, for serve). */
export async function cli(argv: string[], io: CliIo = process): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'serve') {
      const { main } = await import('../emulator/main.js');
      await main(rest);
      return -1;
    }
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      io.stdout.write(USAGE);
      return 0;
    }
    const spec = SPECS[command];
    if (!spec) throw new UsageError(`Unknown command '${command}'. Run bedrock-batch --help.`);
    const { values, positionals } = parseArgs({ args: rest, options: { ...spec, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    if (values.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    const v = values as Record<string, string | boolean | undefined>;
    const region = v.region as string | undefined;
    const bedrock = new BedrockClient({ region });
    const s3 = new S3Client({ region });
    await regionOf(bedrock, !!v['skip-checks']);
    switch (command) {
      case 'submit':
        return await submit(v, bedrock, s3, io);
      case 'status':
        return await status(job(positionals, 'status'), bedrock, io);
      case 'list':
        return await list(v, bedrock, io);
      case 'results':
        return await results(job(positionals, 'results'), v, bedrock, s3, io);
      default:
        return await models(v, bedrock, io);
    }
  } catch (e) {
    const [message, code] = explain(e);
    io.stderr.write(`bedrock-batch: ${message}\n`);
    return code;
  }
}

function job(positionals: string[], command: string): string {
  if (positionals.length !== 1 || !positionals[0].trim()) {
    throw new UsageError(`${command} needs a job: bedrock-batch ${command} JOB, JOB being its ARN or 12-character id (bedrock-batch list shows them).`);
  }
  return positionals[0];
}

async function submit(v: Record<string, string | boolean | undefined>, bedrock: BedrockClient, s3: S3Client, io: CliIo): Promise<number> {
  const missing = ['model', 'input', 'bucket', 'role-arn'].filter((k) => !v[k]);
  if (missing.length) throw new UsageError(`submit needs ${missing.map((k) => `--${k}`).join(', ')}.`);
  const model = v.model as string;
  if (v.api !== undefined && v.api !== 'bedrock' && v.api !== 'openai') throw new UsageError(`--api must be bedrock or openai, not '${v.api}'.`);
  if (v.api === 'openai') return submitOpenAI(v, await regionOf(bedrock, !!v['skip-checks']), s3, io);
  const type = v['invocation-type'] as string | undefined;
  if (type && type !== 'InvokeModel' && type !== 'Converse') throw new UsageError(`--invocation-type must be InvokeModel or Converse, not '${type}'.`);
  const records = readInput(v.input as string);
  const flag = number(v['min-records-per-job'], '--min-records-per-job');
  const emulator = flag === undefined ? await emulatorMinimum() : undefined;
  const min = flag ?? emulator?.min ?? DEFAULT_QUOTAS.minRecordsPerJob;
  if (records.length < min) {
    throw new UsageError(
      emulator
        ? `${v.input} has ${records.length} records; the emulator at ${emulator.endpoint} requires at least ${min} per job (start it with --quota-min-records-per-job N to lower that).`
        : `${v.input} has ${records.length} records; a batch job needs at least ${min} (Bedrock's minimum per job). Against an emulator started with --quota-min-records-per-job N, pass --min-records-per-job N.`,
    );
  }
  if (!v['skip-checks']) checkModel(model, await regionOf(bedrock));
  const options = {
    model,
    records,
    bucket: v.bucket as string,
    prefix: v.prefix as string | undefined,
    roleArn: v['role-arn'] as string,
    jobName: v['job-name'] as string | undefined,
    modelInvocationType: type as 'InvokeModel' | 'Converse' | undefined,
    timeoutDurationInHours: number(v['timeout-hours'], '--timeout-hours'),
    minRecordsPerJob: min,
    clients: { bedrock, s3 },
    pollIntervalMs: 1_000,
    maxPollIntervalMs: 30_000,
  };
  if (!v.wait) {
    const { jobs } = await submitBatch(options).catch(bucketHint(options.bucket));
    for (const j of jobs) io.stdout.write(`${j.jobArn}\n`);
    io.stderr.write(`${jobs.length} job(s) created for ${records.length} records. Follow with: bedrock-batch status JOB, bedrock-batch results JOB --wait\n`);
    return 0;
  }
  const started = Date.now();
  const bar = progressWriter(io, started);
  const result = await runBatch({ ...options, onProgress: bar.update }).catch(bucketHint(options.bucket));
  bar.end();
  for (const j of result.jobs) io.stdout.write(`${j.jobArn}\t${j.status}${j.message ? `\t${j.message}` : ''}\n`);
  const failed = result.records.filter((r) => r.error).length;
  const missingCount = result.records.filter((r) => r.missing).length;
  io.stderr.write(`${result.records.length} records: ${result.records.length - failed - missingCount} succeeded, ${failed} failed${missingCount ? `, ${missingCount} without output` : ''}. Read them: bedrock-batch results JOB\n`);
  return result.jobs.every((j) => j.status === 'Completed') ? 0 : 1;
}

/** submit --api openai: the OpenAI Batch API (runOpenAIBatch), the batch id on stdout. */
async function submitOpenAI(v: Record<string, string | boolean | undefined>, region: string, s3: S3Client, io: CliIo): Promise<number> {
  const apiKey = (v['api-key'] as string | undefined) ?? process.env.AWS_BEARER_TOKEN_BEDROCK;
  if (!apiKey) throw new UsageError('--api openai needs a Bedrock API key: --api-key KEY or AWS_BEARER_TOKEN_BEDROCK (any value against the emulator).');
  const runtime = process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
  const baseURL = (v['base-url'] as string | undefined) ?? (runtime ? `${runtime.replace(/\/$/, '')}/openai/v1` : `https://bedrock-runtime.${region}.amazonaws.com/openai/v1`);
  const requests = readFileSync(v.input as string, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = JSON.parse(l) as { custom_id?: unknown; body?: unknown };
      if (typeof r.custom_id !== 'string' || typeof r.body !== 'object' || !r.body) throw new UsageError(`Line ${i + 1} of ${v.input} is not {"custom_id": "…", "body": {…}}.`);
      return { custom_id: r.custom_id, body: r.body as Record<string, unknown> };
    });
  const name = (v['job-name'] as string | undefined) ?? `openai-batch-${Date.now()}`;
  const options = {
    baseURL, apiKey, model: v.model as string, roleArn: v['role-arn'] as string, requests, s3,
    bucket: v.bucket as string, key: `${v.prefix ? `${String(v.prefix).replace(/\/$/, '')}/` : ''}${name}.jsonl`,
    pollIntervalMs: 1_000, maxPollIntervalMs: 30_000,
  };
  if (!v.wait) {
    const batch = await submitOpenAIBatch(options).catch(bucketHint(options.bucket));
    io.stdout.write(`${batch.id}\n`);
    io.stderr.write(`Batch created for ${requests.length} requests; results go to s3://${options.bucket}/${options.key.replace(/[^/]*$/, '')}${batch.id}/.\n`);
    return 0;
  }
  const { batch, results } = await runOpenAIBatch(options).catch(bucketHint(options.bucket));
  io.stdout.write(`${batch.id}\t${batch.status}\n`);
  const failed = results.filter((r) => !r.body).length;
  io.stderr.write(`${results.length} requests: ${results.length - failed} succeeded, ${failed} failed. Results: ${batch.output_file_id ?? '(none)'}${batch.error_file_id ? `, errors: ${batch.error_file_id}` : ''}\n`);
  return batch.status === 'completed' ? 0 : 1;
}

/**
 * When AWS_ENDPOINT_URL_BEDROCK (or AWS_ENDPOINT_URL) points at an emulator, the minimum records per job it is
 * configured with, so that an emulator started with a lower quota takes smaller inputs with no extra flag.
 * Anything else (AWS, another endpoint, no answer) leaves Bedrock's minimum.
 */
async function emulatorMinimum(): Promise<{ endpoint: string; min: number } | undefined> {
  const endpoint = process.env.AWS_ENDPOINT_URL_BEDROCK ?? process.env.AWS_ENDPOINT_URL;
  if (!endpoint) return undefined;
  try {
    const res = await fetch(new URL('/_emulator/config', endpoint), { signal: AbortSignal.timeout(5_000) });
    const min = res.ok ? ((await res.json()) as { quotas?: { minRecordsPerJob?: unknown } }).quotas?.minRecordsPerJob : undefined;
    return typeof min === 'number' ? { endpoint, min } : undefined;
  } catch {
    return undefined;
  }
}

const bucketHint = (bucket: string) => (e: Error): never => {
  if (e.name === 'NoSuchBucket') throw new UsageError(`Bucket ${bucket} does not exist. Create it first (aws s3 mb s3://${bucket}) or pass another --bucket.`);
  throw e;
};

function progressWriter(io: CliIo, started: number) {
  let last = '';
  return {
    update(p: Progress) {
      const line = formatProgress(p, Date.now() - started);
      if (io.stderr.isTTY) io.stderr.write(`\r${line}\x1b[K`);
      // Logs (CI) get a line per change rather than carriage returns.
      else if (line.replace(/ {2}[\d.]+\/s {2}ETA \S+/, '') !== last) io.stderr.write(`${line}\n`);
      last = line.replace(/ {2}[\d.]+\/s {2}ETA \S+/, '');
    },
    end() {
      if (io.stderr.isTTY) io.stderr.write('\n');
    },
  };
}

async function status(id: string, bedrock: BedrockClient, io: CliIo): Promise<number> {
  const j = await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: id }));
  const view = {
    jobArn: j.jobArn,
    jobName: j.jobName,
    modelId: j.modelId,
    status: j.status,
    message: j.message,
    submitTime: j.submitTime,
    endTime: j.endTime,
    totalRecordCount: j.totalRecordCount,
    processedRecordCount: j.processedRecordCount,
    successRecordCount: j.successRecordCount,
    errorRecordCount: j.errorRecordCount,
    input: j.inputDataConfig?.s3InputDataConfig?.s3Uri,
    output: j.outputDataConfig?.s3OutputDataConfig?.s3Uri,
  };
  io.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
  return 0;
}

async function list(v: Record<string, string | boolean | undefined>, bedrock: BedrockClient, io: CliIo): Promise<number> {
  const input = { statusEquals: v.status as never, nameContains: v['name-contains'] as string | undefined, sortOrder: 'Descending' as const };
  for await (const page of paginateListModelInvocationJobs({ client: bedrock }, input)) {
    for (const j of page.invocationJobSummaries ?? []) {
      const counts = j.totalRecordCount !== undefined ? `${j.processedRecordCount ?? 0}/${j.totalRecordCount}` : '-';
      io.stdout.write(`${j.jobArn}\t${j.jobName}\t${j.status}\t${counts}\t${j.submitTime?.toISOString()}\n`);
    }
  }
  return 0;
}

async function results(id: string, v: Record<string, string | boolean | undefined>, bedrock: BedrockClient, s3: S3Client, io: CliIo): Promise<number> {
  const format = (v.format as string | undefined) ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'table') throw new UsageError(`--format must be jsonl or table, not '${format}'.`);
  let job = await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: id }));
  if (!isTerminal(job.status)) {
    if (!v.wait) throw new UsageError(`Job ${job.jobArn} is ${job.status}; its output is complete only when it ends. Add --wait to wait for it.`);
    job = await waitForJob(bedrock, id, { pollIntervalMs: 1_000, maxPollIntervalMs: 30_000 });
  }
  const { records, totals } = await downloadResults({ bedrock, s3 }, [job]);
  if (format === 'jsonl') for (const r of records) io.stdout.write(`${JSON.stringify(r)}\n`);
  else io.stdout.write(table(records));
  io.stderr.write(
    `${job.jobArn} ${job.status}${job.message ? ` (${job.message})` : ''}: ${totals.successRecordCount} succeeded, ${totals.errorRecordCount} failed of ${totals.totalRecordCount}; ${totals.inputTokenCount} input and ${totals.outputTokenCount} output tokens\n`,
  );
  return 0;
}

async function models(v: Record<string, string | boolean | undefined>, bedrock: BedrockClient, io: CliIo): Promise<number> {
  const region = await regionOf(bedrock);
  // Models by their own id, then the inference profiles that take a batch job from this region.
  let batch = [
    ...listModels()
      .filter((m) => m.batchRegions.includes(region))
      .map((m) => ({ id: m.id, model: m })),
    ...systemProfilesInRegion(region)
      .filter((p) => resolveModel(p.id, region, 'batch').ok)
      .map((p) => ({ id: p.id, model: getModel(p.modelId)! })),
  ];
  // AWS exposes no batch flag: batch support comes from this tool's table; what the region offers today from AWS.
  if (!v.offline) {
    const live = await bedrock.send(new ListFoundationModelsCommand({}));
    const ids = new Set((live.modelSummaries ?? []).map((m) => m.modelId));
    batch = batch.filter((b) => ids.has(b.model.id));
  }
  for (const { id, model: m } of batch) io.stdout.write(`${id}\t${m.provider}\t${m.name}\n`);
  io.stderr.write(
    `${batch.length} models and inference profiles run in batch in ${region} (batch support from this tool's model table — Bedrock's API has no batch flag${v.offline ? '' : '; filtered by ListFoundationModels'}).\n`,
  );
  return 0;
}

async function regionOf(bedrock: BedrockClient, anyRegion = false): Promise<string> {
  const region = await bedrock.config.region().catch(() => undefined);
  if (!region) throw new UsageError('No region: pass --region (or set AWS_REGION).');
  if (!anyRegion && !isKnownRegion(region)) {
    throw new UsageError(`Unknown region '${region}'. Bedrock regions: ${Object.keys(REGIONS).join(', ')} (--skip-checks if yours is newer than this list).`);
  }
  return region;
}

function checkModel(model: string, region: string) {
  const r = resolveModel(model, region, 'batch');
  // Application inference profiles live in the account: only Bedrock can check them.
  if (r.ok || r.errorType === 'ResourceNotFoundException') return;
  const known = listModels().some((m) => m.id === model);
  throw new UsageError(
    `${known ? r.message : `Unknown model '${model}'.`} Run \`bedrock-batch models --region ${region}\` for the models that run in batch there` +
      ` (or add --skip-checks if the model is newer than this tool's table).`,
  );
}

function readInput(path: string): BatchRecord[] {
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => f.endsWith('.jsonl'))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch {
    throw new UsageError(`Input ${path} does not exist. Give a .jsonl file or a folder of .jsonl files.`);
  }
  if (!files.length) throw new UsageError(`No .jsonl files in ${path}.`);
  return files.flatMap((f) => parseJsonl(readFileSync(f, 'utf8'), f));
}

function number(raw: string | boolean | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} takes a whole number, not '${raw}'.`);
  return n;
}

function table(records: RecordResult[]): string {
  const width = Math.max(8, ...records.map((r) => r.recordId.length));
  const rows = records.map((r) => `${r.recordId.padEnd(width)}  ${r.error ? `error ${r.error.errorCode}: ${r.error.errorMessage}` : summarize(r.output)}`);
  return `${'recordId'.padEnd(width)}  result\n${rows.join('\n')}${rows.length ? '\n' : ''}`;
}

/** A short human view of a model output: its text where the family has one, else its shape. */
function summarize(output: unknown): string {
  const o = output as Record<string, any> | undefined;
  const text =
    o?.content?.find?.((c: { type?: string }) => c.type === 'text')?.text ?? // Anthropic Messages
    o?.output?.message?.content?.find?.((c: { text?: string }) => c.text)?.text ?? // Converse, Nova
    o?.results?.[0]?.outputText ?? // Titan Text
    o?.generation ?? // Llama
    o?.outputs?.[0]?.text ?? // Mistral
    o?.completion ?? // Anthropic Text Completions
    o?.text ?? o?.generations?.[0]?.text; // Cohere
  if (typeof text === 'string') return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
  if (Array.isArray(o?.embedding)) return `embedding[${o!.embedding.length}]`;
  const json = JSON.stringify(output) ?? 'null';
  return json.length > 100 ? `${json.slice(0, 100)}…` : json;
}

/** What went wrong, with the fix where there is one, and the exit code. */
function explain(e: unknown): [string, number] {
  const err = e as Error & { code?: string; $metadata?: unknown; Bucket?: string };
  if (e instanceof UsageError || e instanceof InputError) return [`${err.message}`, 2];
  if (e instanceof OpenAIBatchError) return [err.message, 1];
  if (err.code?.startsWith('ERR_PARSE_ARGS')) return [`${err.message}. Run bedrock-batch --help.`, 2];
  if (err.name === 'CredentialsProviderError') {
    return [`${err.message}. Configure AWS credentials; against the emulator any will do (AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test).`, 1];
  }
  const net = err.code ?? (err as { cause?: { code?: string } }).cause?.code;
  if (net === 'ECONNREFUSED' || net === 'ENOTFOUND') {
    return [`${err.message}. Is the endpoint right? AWS_ENDPOINT_URL_BEDROCK=${process.env.AWS_ENDPOINT_URL_BEDROCK ?? '(unset)'}, AWS_ENDPOINT_URL_S3=${process.env.AWS_ENDPOINT_URL_S3 ?? '(unset)'}; is the emulator running (bedrock-batch serve)?`, 1];
  }
  if (err.message === 'Region is missing') return ['No region: pass --region (or set AWS_REGION).', 2];
  if (err.$metadata) return [`${err.name}: ${err.message}`, 1];
  return [`${err.name ?? 'Error'}: ${err.message ?? String(e)}`, 1];
}
