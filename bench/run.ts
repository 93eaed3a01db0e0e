// npm run bench: the project's figures, each a ratio against a baseline measured in the same run on this machine.
// Results are printed and appended to BENCHMARKS.md with the date, machine and commit.
import { BedrockClient, CreateModelInvocationJobCommand, GetModelInvocationJobCommand } from '@aws-sdk/client-bedrock';
import { CreateBucketCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import autocannon from 'autocannon';
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { invokeModel } from '../src/fake-models/index.js';
import { startEmulator as startHarness } from '../src/emulator/harness.js';
import { createServer } from 'node:http';

const ROOT = new URL('..', import.meta.url).pathname;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNTIME_ROUNDS = Number(process.env.BENCH_RUNTIME_ROUNDS ?? 3);
const BATCH_RECORDS = Number(process.env.BENCH_BATCH_RECORDS ?? 50_000);
const MEMORY_MB = Number(process.env.BENCH_MEMORY_MB ?? 512);
const children = new Set<ChildProcess>();
// Every emulator here runs what `npm start` runs (without npm's own start-up), built ahead as `npm ci` builds it.
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const [NODE, ...START] = (PACKAGE.scripts.start as string).split(' ');
if (NODE !== 'node') throw new Error(`bench: expected \`npm start\` to run node, not ${NODE}`);
execSync('node scripts/start.mjs --build', { cwd: ROOT, stdio: 'inherit' });
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

function start(args: string[], ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const match = ready.exec(out);
      if (match) resolve({ child, match, ms: performance.now() - started });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

async function startEmulator(extra: string[] = []) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bbe-bench-'));
  const { child, match } = await start([...START, '--port', '0', '--s3-port', '0', '--data-dir', dataDir, '--timing', 'instant', ...extra], /AWS_ENDPOINT_URL_S3=(\S+)/);
  const endpoint = /AWS_ENDPOINT_URL_BEDROCK=(\S+)/.exec(match.input)![1];
  return {
    child, dataDir, endpoint, s3Endpoint: match[1],
    stop() { child.kill('SIGKILL'); children.delete(child); rmSync(dataDir, { recursive: true, force: true }); },
  };
}

const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const clients = (e: { endpoint: string; s3Endpoint: string }) => {
  const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
  return { bedrock: new BedrockClient({ endpoint: e.endpoint, region: 'us-east-1', credentials }), s3: new S3Client({ endpoint: e.s3Endpoint, region: 'us-east-1', credentials, forcePathStyle: true }) };
};
const claudeBody = (i: number) => ({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [{ role: 'user', content: `Classify sentiment of review number ${i}: the product was fine.` }] });

// Each connection cycles through the bodies: a fake answer's length follows from its body, so several bodies
// measure the typical answer rather than one body's luck.
async function load(url: string, bodies: string[]) {
  const headers = { 'content-type': 'application/json' };
  const r = await autocannon({ url, method: 'POST', requests: bodies.map((body) => ({ method: 'POST', body, headers })), connections: 50, duration: SECONDS });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

const results: { name: string; value: string; baseline: string; ratio: number; target: string; met: boolean }[] = [];
const record = (name: string, value: string, baseline: string, ratio: number, target: string, met: boolean) => {
  results.push({ name, value, baseline, ratio, target, met });
  console.log(`${met ? 'ok  ' : 'MISS'} ${name}: ${value} vs ${baseline} → ${ratio.toFixed(2)} (target ${target})`);
};

async function runtime() {
  const emu = await startEmulator();
  const prompts = Array.from({ length: 16 }, (_, i) => i);
  const requests = {
    InvokeModel: { path: '/model/anthropic.claude-3-haiku-20240307-v1:0/invoke', bodies: prompts.map((i) => JSON.stringify(claudeBody(i))) },
    Converse: { path: '/model/anthropic.claude-3-haiku-20240307-v1:0/converse', bodies: prompts.map((i) => JSON.stringify({ messages: [{ role: 'user', content: [{ text: `Classify review ${i}.` }] }] })) },
  };
  // The baseline answers the same JSON: each request's exact answer from the emulator, headers included.
  const answers: Record<string, { status: number; headers: Record<string, string>; body: string }> = {};
  for (const { path, bodies } of Object.values(requests)) {
    for (const body of bodies) {
      const res = await fetch(emu.endpoint + path, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => ['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(k) || (headers[k] = v));
      answers[`${path}\n${body}`] = { status: res.status, headers, body: await res.text() };
    }
  }
  const file = join(mkdtempSync(join(tmpdir(), 'bbe-bench-base-')), 'answers.json');
  writeFileSync(file, JSON.stringify(answers));
  const base = await start(['--import', 'tsx', 'bench/baseline-server.ts', file], /listening (\d+)/);
  for (const [name, { path, bodies }] of Object.entries(requests)) {
    // Alternating rounds of the baseline and the emulator, so that load from elsewhere on the machine falls on
    // both; the round with the median ratio is reported.
    const rounds = [];
    for (let i = 0; i < RUNTIME_ROUNDS; i++) {
      const baseline = await load(`http://127.0.0.1:${base.match[1]}${path}`, bodies);
      const r = await load(emu.endpoint + path, bodies);
      rounds.push({ baseline, r, ratio: r.rps / baseline.rps });
    }
    rounds.sort((a, b) => a.ratio - b.ratio);
    const { baseline, r, ratio } = rounds[Math.floor(rounds.length / 2)];
    const errors = rounds.reduce((n, x) => n + x.r.errors + x.baseline.errors, 0);
    const all = rounds.map((x) => x.ratio.toFixed(2)).join(', ');
    record(`runtime ${name} req/s at 50 connections`, `${r.rps.toFixed(0)} req/s (${bodies.length} bodies, p50 ${r.p50} ms, p99 ${r.p99} ms, ${errors} errors; median of ${rounds.length} rounds: ${all})`, `bare node:http, same answers: ${baseline.rps.toFixed(0)} req/s (p50 ${baseline.p50} ms, p99 ${baseline.p99} ms)`, ratio, '≥ 0.5', ratio >= 0.5 && errors === 0);
  }
  base.child.kill('SIGKILL');
  children.delete(base.child);
  emu.stop();
  rmSync(dirname(file), { recursive: true, force: true });
}

async function writeJsonl(path: string, records: number, padTo = 0): Promise<void> {
  const out = createWriteStream(path);
  const pad = padTo ? 'x'.repeat(padTo) : '';
  for (let i = 0; i < records; i++) {
    const modelInput = claudeBody(i);
    modelInput.messages[0].content += pad; // padding makes the records of the memory run about 1.2 KB
    const line = JSON.stringify({ recordId: `r${i}`, modelInput }) + '\n';
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

async function runJob(e: Awaited<ReturnType<typeof startEmulator>>, file: string, watchRss = false) {
  const { bedrock, s3 } = clients(e);
  await s3.send(new CreateBucketCommand({ Bucket: 'bench-in' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'bench-out' }));
  await new Upload({ client: s3, params: { Bucket: 'bench-in', Key: 'input.jsonl', Body: createReadStream(file) }, partSize: 16 * 1024 * 1024 }).done();
  const rssBefore = peakRssMb(e.child.pid!);
  const started = performance.now();
  const { jobArn } = await bedrock.send(new CreateModelInvocationJobCommand({
    jobName: 'bench', roleArn: 'arn:aws:iam::123456789012:role/Bench', modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://bench-in/input.jsonl' } },
    outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://bench-out/out/' } },
  }));
  let job;
  for (;;) {
    job = await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
    if (['Completed', 'Failed', 'PartiallyCompleted'].includes(job.status!)) break;
    await new Promise((r) => setTimeout(r, watchRss ? 200 : 50));
  }
  const seconds = (performance.now() - started) / 1000;
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'bench-out', Prefix: `out/${jobArn!.split('/').pop()}/` }));
  return { job, seconds, outputs: listed.Contents?.length ?? 0, rssBefore, peak: peakRssMb(e.child.pid!) };
}

async function batch() {
  const dir = mkdtempSync(join(tmpdir(), 'bbe-bench-batch-'));
  const file = join(dir, 'input.jsonl');
  await writeJsonl(file, BATCH_RECORDS);
  // Baseline: the same JSONL from disk, parsed, answered by the same fake model, written to disk.
  const t0 = performance.now();
  const out = createWriteStream(join(dir, 'baseline.out'));
  for await (const line of createInterface({ input: createReadStream(file) })) {
    const r = JSON.parse(line);
    const answer = invokeModel({ family: 'anthropic-messages', modelId: 'anthropic.claude-3-haiku-20240307-v1:0' }, r.modelInput);
    if (!out.write(JSON.stringify({ recordId: r.recordId, modelInput: r.modelInput, modelOutput: answer.body }) + '\n')) await new Promise<void>((res) => out.once('drain', () => res()));
  }
  await new Promise((r) => out.end(r));
  const baseRate = BATCH_RECORDS / ((performance.now() - t0) / 1000);
  const e = await startEmulator();
  const run = await runJob(e, file);
  e.stop();
  rmSync(dir, { recursive: true, force: true });
  const rate = BATCH_RECORDS / run.seconds;
  const ok = run.job.status === 'Completed' && run.job.successRecordCount === BATCH_RECORDS && run.outputs === 2;
  record(`batch ${BATCH_RECORDS} records, create → Completed`, `${rate.toFixed(0)} records/s (${run.seconds.toFixed(1)} s, ${run.job.status}, ${run.outputs} output objects)`, `disk pipeline ${baseRate.toFixed(0)} records/s`, rate / baseRate, '≥ 0.25', ok && rate / baseRate >= 0.25);
}

async function memory() {
  const dir = mkdtempSync(join(tmpdir(), 'bbe-bench-mem-'));
  const file = join(dir, 'input.jsonl');
  const records = Math.ceil((MEMORY_MB * 1024 * 1024) / 1200);
  await writeJsonl(file, records, 1000);
  const size = statSync(file).size;
  const e = await startEmulator(['--quota-max-records-per-file', String(records), '--quota-max-records-per-job', String(records), '--quota-max-input-file-bytes', String(size + 1)]);
  const run = await runJob(e, file, true);
  e.stop();
  rmSync(dir, { recursive: true, force: true });
  record(`memory: a ${(size / 1024 / 1024).toFixed(0)} MB input file through a job`, `peak RSS ${run.peak.toFixed(0)} MB (${run.job.status}, ${run.job.processedRecordCount} records, ${run.seconds.toFixed(0)} s)`, 'target 256 MB', run.peak / 256, '≤ 256 MB', run.peak <= 256 && run.job.status === 'Completed');
}

async function startup() {
  // A cold process each time, timed to the first answer.
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'bbe-bench-start-'));
    const t0 = performance.now();
    const child = spawn(process.execPath, [...START, '--port', '0', '--s3-port', '0', '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    const endpoint = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout!.on('data', (d) => { out += d; const m = /AWS_ENDPOINT_URL_BEDROCK=(\S+)/.exec(out); if (m) resolve(m[1]); });
    });
    const res = await fetch(`${endpoint}/_emulator/health`);
    if (res.status === 200) times.push(performance.now() - t0);
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
  const median = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  record('start-up: process start → first answered request (S3 included)', `${median.toFixed(0)} ms median of ${times.length}`, 'target 500 ms', median / 500, '< 500 ms', median < 500);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function timed(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function harness() {
  // In this process, as a test suite uses it (modules already loaded: the first start pays for the imports).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  await (await startHarness()).stop();
  // Each started and stopped in turn, as test files do (only the start is timed).
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const h = await startHarness();
    times.push(performance.now() - t0);
    await h.stop();
  }
  const start = median(times);
  // Baseline: the two bare node:http servers the emulator's two ports stand for, listening.
  const bare = await timed(10, async () => {
    const servers = [createServer(), createServer()];
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });
  record('harness: startEmulator() → ready, in-process', `${start.toFixed(1)} ms median of 10`, `two bare node:http servers listening: ${bare.toFixed(1)} ms`, start / 50, '< 50 ms', start < 50);

  const e = await startHarness();
  // A test suite's typical job: short text answers (Claude 3 Haiku, 50 tokens at most).
  const records = Array.from({ length: 100 }, (_, i) => JSON.stringify({ recordId: `r${i}`, modelInput: { ...claudeBody(i), max_tokens: 50 } })).join('\n');
  const { PutObjectCommand, GetObjectCommand } = await import('@aws-sdk/client-s3');
  const { bedrock, s3 } = e.clients;
  // One job as the issue times it, create → Completed → output read through the SDK (timing: instant), after its
  // bucket and input went up (timed too, shown apart). Each step is timed, to show where a round trip goes (the SDK
  // requests, or the job's own work in settle()).
  const steps: Record<string, number[]> = {};
  const roundTrip = async () => {
    let t0 = performance.now();
    const step = (name: string) => {
      const t = performance.now();
      (steps[name] ??= []).push(t - t0);
      t0 = t;
    };
    await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
    await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: 'in.jsonl', Body: records }));
    step('bucket and input up');
    const created = performance.now();
    const { jobArn } = await bedrock.send(new CreateModelInvocationJobCommand({
      jobName: 'bench', roleArn: 'arn:aws:iam::123456789012:role/Bench', modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://bench/in.jsonl' } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://bench/out/' } },
    }));
    step('create');
    await e.settle();
    step('settle');
    const job = await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
    if (job.status !== 'Completed') throw new Error(`bench job ${job.status}`);
    step('get');
    const out = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: `out/${jobArn!.split('/').pop()}/in.jsonl.out` }));
    if ((await out.Body!.transformToString()).split('\n').filter(Boolean).length !== 100) throw new Error('bench job output incomplete');
    step('output read');
    return performance.now() - created;
  };
  const trips: number[] = [];
  const resets: number[] = [];
  for (let i = 0; i < 21; i++) {
    trips.push(await roundTrip());
    const t0 = performance.now();
    await e.reset();
    resets.push(performance.now() - t0);
  }
  // Baseline: the same SDK clients' cheapest round trips, as many as the job's (create, get, read).
  const sdk = await timed(21, async () => {
    for (let i = 0; i < 3; i++) await s3.send(new ListBucketsCommand({}));
  });
  const oneRequest = sdk / 3;
  await e.stop();
  record('harness: reset() after a job (jobs, tables, S3 bucket with input and output)', `${median(resets).toFixed(1)} ms median of 21`, `one SDK ListBuckets: ${oneRequest.toFixed(1)} ms`, median(resets) / 10, '< 10 ms', median(resets) < 10);
  const { 'bucket and input up': upload, ...job } = steps;
  record('harness: a 100-record job (Claude, 50-token answers) through the SDK, create → Completed → output read (timing instant)', `${median(trips).toFixed(1)} ms median of 21 (${Object.entries(job).map(([name, times]) => `${name} ${median(times).toFixed(1)}`).join(', ')}; before it, not counted: bucket and input up ${median(upload).toFixed(1)})`, `three SDK ListBuckets: ${sdk.toFixed(1)} ms`, median(trips) / 25, '< 25 ms', median(trips) < 25);
}

// The code measured: the commit, and whether what runs (sources, scripts, the bench itself) differed from it.
const commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
const edited = execSync('git status --porcelain -- src scripts bench package.json package-lock.json', { cwd: ROOT }).toString().trim() !== '';

const only = process.argv.slice(2);
for (const [name, fn] of Object.entries({ runtime, batch, memory, startup, harness })) if (!only.length || only.includes(name)) await fn();

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const lines = [`\n## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — commit ${commit}${edited ? ' with uncommitted changes' : ''}`, `Machine: ${machine}.`, '', '| figure | measured | baseline | ratio | target | met |', '| --- | --- | --- | --- | --- | --- |',
  ...results.map((r) => `| ${r.name} | ${r.value} | ${r.baseline} | ${r.ratio.toFixed(2)} | ${r.target} | ${r.met ? 'yes' : '**no**'} |`)];
if (!existsSync(join(ROOT, 'BENCHMARKS.md'))) writeFileSync(join(ROOT, 'BENCHMARKS.md'), '# Benchmarks\n\nAppended by `npm run bench` (bench/run.ts). Each figure is measured against a baseline in the same run.\n');
appendFileSync(join(ROOT, 'BENCHMARKS.md'), lines.join('\n') + '\n');
process.exit(0);
