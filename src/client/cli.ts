// bedrock-batch: serve the emulator, submit a batch, watch it, read its results — against AWS or the emulator
// (the AWS SDK's configuration decides: AWS_REGION, credentials, AWS_ENDPOINT_URL_*).
import { BedrockClient, GetModelInvocationJobCommand, ListModelInvocationJobsCommand } from '@aws-sdk/client-bedrock';
import { S3Client } from '@aws-sdk/client-s3';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { listModels, isKnownRegion, getModel } from '../registry/index.js';
import { resumeBatch, runBatch, type Progress } from './batch.js';
import { InputError, parseJsonl, type BatchRecord } from './jsonl.js';

const USAGE = `Usage: bedrock-batch <command> [options]

  serve [emulator options]          run the emulator (same options as npm start)
  submit --model ID --input FILE|DIR --bucket B --role-arn ARN [--region R] [--prefix P] [--wait]
  status JOB_ARN                    a job's status and counts
  list [--status S]                 batch jobs in the region
  results JOB_ARN [--format jsonl|table]
  models --region R                 models that run in batch in a region
`;

class UsageError extends Error {}

function readInput(path: string): BatchRecord[] {
  if (!existsSync(path)) throw new UsageError(`Input ${path} does not exist. Give a .jsonl file or a folder of .jsonl files.`);
  const files = statSync(path).isDirectory() ? readdirSync(path).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(path, f)) : [path];
  if (!files.length) throw new UsageError(`No .jsonl files in ${path}.`);
  return files.flatMap((f) => parseJsonl(readFileSync(f, 'utf8'), f));
}

function progressBar(p: Progress, started: number) {
  const done = p.processedRecords;
  const width = 30;
  const filled = Math.round((done / Math.max(1, p.totalRecords)) * width);
  const seconds = (Date.now() - started) / 1000;
  const rate = done / Math.max(seconds, 0.001);
  const eta = rate > 0 ? Math.round((p.totalRecords - done) / rate) : Infinity;
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${p.totalRecords} records  ${rate.toFixed(1)}/s  ETA ${Number.isFinite(eta) ? `${eta}s` : '?'}  jobs ${p.finishedJobs}/${p.jobs}`);
}

export async function cli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'serve') {
    const { main } = await import('../emulator/main.js');
    await main(rest);
    return -1; // keeps running
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      model: { type: 'string' }, region: { type: 'string' }, input: { type: 'string' }, bucket: { type: 'string' },
      prefix: { type: 'string' }, 'role-arn': { type: 'string' }, wait: { type: 'boolean' }, status: { type: 'string' },
      format: { type: 'string' }, 'min-records-per-job': { type: 'string' },
    },
  });
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (values.region && !isKnownRegion(values.region)) throw new UsageError(`Unknown region ${values.region}. Bedrock regions: us-east-1, us-west-2, eu-central-1, …`);
  const bedrock = () => new BedrockClient({ region });
  switch (command) {
    case 'submit': {
      for (const k of ['model', 'input', 'bucket', 'role-arn'] as const) if (!values[k]) throw new UsageError(`submit needs --${k}.`);
      if (!getModel(values.model!) && !/^(arn:|[a-z]+\.)/.test(values.model!)) throw new UsageError(`Unknown model ${values.model}. See \`bedrock-batch models --region ${region ?? 'us-east-1'}\`.`);
      const started = Date.now();
      const result = await runBatch({
        model: values.model!, region, records: readInput(values.input!), bucket: values.bucket!, prefix: values.prefix, roleArn: values['role-arn']!,
        clients: { bedrock: bedrock(), s3: new S3Client({ region }) }, wait: !!values.wait,
        minRecordsPerJob: values['min-records-per-job'] ? Number(values['min-records-per-job']) : undefined,
        onProgress: values.wait ? (p) => progressBar(p, started) : undefined,
      });
      if (values.wait) process.stderr.write('\n');
      for (const j of result.jobs) console.log(`${j.jobArn}\t${j.status}${j.message ? `\t${j.message}` : ''}`);
      if (values.wait) console.log(`records: ${result.totals.successRecordCount} succeeded, ${result.totals.errorRecordCount} failed of ${result.totals.totalRecordCount}`);
      return result.jobs.every((j) => ['Submitted', 'Completed'].includes(j.status)) ? 0 : 1;
    }
    case 'status': {
      if (!positionals[0]) throw new UsageError('status needs a job ARN or id.');
      const j = await bedrock().send(new GetModelInvocationJobCommand({ jobIdentifier: positionals[0] }));
      console.log(JSON.stringify({ jobArn: j.jobArn, jobName: j.jobName, status: j.status, message: j.message, total: j.totalRecordCount, processed: j.processedRecordCount, success: j.successRecordCount, errors: j.errorRecordCount }, null, 2));
      return 0;
    }
    case 'list': {
      const out = await bedrock().send(new ListModelInvocationJobsCommand({ statusEquals: values.status as never }));
      for (const j of out.invocationJobSummaries ?? []) console.log(`${j.jobArn}\t${j.jobName}\t${j.status}\t${j.submitTime?.toISOString()}`);
      return 0;
    }
    case 'results': {
      if (!positionals[0]) throw new UsageError('results needs a job ARN.');
      const result = await resumeBatch({ jobArns: [positionals[0]], clients: { bedrock: bedrock(), s3: new S3Client({ region }) }, pollIntervalMs: 2000 });
      for (const r of result.records) {
        if (values.format === 'table') console.log(`${r.recordId}\t${r.error ? `ERROR ${r.error.errorCode}: ${r.error.errorMessage}` : JSON.stringify(r.output).slice(0, 100)}`);
        else console.log(JSON.stringify(r));
      }
      return 0;
    }
    case 'models': {
      if (!region) throw new UsageError('models needs --region.');
      for (const m of listModels().filter((m) => m.batchRegions.includes(region))) console.log(`${m.id}\t${m.provider} ${m.name}`);
      return 0;
    }
    default:
      process.stderr.write(USAGE);
      return command ? 2 : 0;
  }
}

cli(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e) => {
    const known = e instanceof UsageError || e instanceof InputError;
    process.stderr.write(`bedrock-batch: ${known ? e.message : `${e.name ?? 'Error'}: ${e.message}`}\n`);
    process.exitCode = known ? 2 : 1;
  },
);
