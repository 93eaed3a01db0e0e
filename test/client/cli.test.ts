// The bedrock-batch command, run as a user runs it (node bin/bedrock-batch.js), against emulators.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';

const ROLE = 'arn:aws:iam::123456789012:role/BedrockBatchRole';
const EMBED = 'amazon.titan-embed-text-v2:0';
const BIN = new URL('../../bin/bedrock-batch.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'bbe-cli-'));
const line = (i: number) => JSON.stringify({ recordId: `rec${String(i).padStart(3, '0')}`, modelInput: { inputText: `text ${i}` } });
let emulator: EmulatorHandle;
let manual: EmulatorHandle;

beforeAll(async () => {
  [emulator, manual] = await Promise.all([startEmulator(), startEmulator({ timing: 'manual' })]);
  for (const e of [emulator, manual]) await e.clients.s3.send(new CreateBucketCommand({ Bucket: 'cli-bucket' }));
  writeFileSync(join(dir, 'good.jsonl'), Array.from({ length: 120 }, (_, i) => line(i)).join('\n'));
  mkdirSync(join(dir, 'folder'));
  writeFileSync(join(dir, 'folder', 'a.jsonl'), Array.from({ length: 60 }, (_, i) => line(i)).join('\n'));
  writeFileSync(join(dir, 'folder', 'b.jsonl'), Array.from({ length: 60 }, (_, i) => line(i + 60)).join('\n') + '\n');
  writeFileSync(join(dir, 'folder', 'notes.txt'), 'not input');
  writeFileSync(join(dir, 'bad.jsonl'), `${line(1)}\n${line(2)}\n{"recordId": "x", modelInput: {}}\n`);
  writeFileSync(join(dir, 'few.jsonl'), line(1));
  writeFileSync(join(dir, 'openai.jsonl'), Array.from({ length: 100 }, (_, i) => JSON.stringify({ custom_id: `c${i}`, body: { messages: [{ role: 'user', content: `q ${i}` }], max_tokens: 20 } })).join('\n'));
});
afterAll(async () => {
  await Promise.all([emulator.stop(), manual.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], target = emulator) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...target.env }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}
const submit = (...extra: string[]) => ['submit', '--model', EMBED, '--bucket', 'cli-bucket', '--role-arn', ROLE, ...extra];

describe('bedrock-batch', () => {
  it('submit --wait shows progress, ends with the status; status, list and results follow', async () => {
    const run = await cli(submit('--input', join(dir, 'good.jsonl'), '--job-name', 'cli-wait', '--wait'));
    expect(run.code).toBe(0);
    // Not a terminal: a line per change, records done/total, rate and ETA.
    expect(run.stderr).toMatch(/\[#{24}\] 120\/120 records \(100%\) {2}[\d.]+\/s {2}ETA 0s {2}jobs 1\/1 done\n/);
    expect(run.stderr).toMatch(/0\/120 records .* 1 (Submitted|Validating|Scheduled|InProgress)/);
    expect(run.stderr).toContain('120 records: 120 succeeded, 0 failed.');
    const [arn, status] = run.stdout.trim().split('\t');
    expect(arn).toMatch(/^arn:aws:bedrock:us-east-1:123456789012:model-invocation-job\/[a-z0-9]{12}$/);
    expect(status).toBe('Completed');

    const st = await cli(['status', arn.split('/').pop()!]);
    expect(JSON.parse(st.stdout)).toMatchObject({ jobArn: arn, jobName: 'cli-wait', status: 'Completed', totalRecordCount: 120, successRecordCount: 120 });
    expect((await cli(['list'])).stdout).toMatch(new RegExp(`^${arn}\\tcli-wait\\tCompleted\\t120/120\\t`, 'm'));

    const jsonl = await cli(['results', arn]);
    const rows = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => r.recordId)).toEqual(Array.from({ length: 120 }, (_, i) => `rec${String(i).padStart(3, '0')}`));
    expect(rows[0].output.embedding).toHaveLength(1024);
    expect(jsonl.stderr).toMatch(/Completed: 120 succeeded, 0 failed of 120/);
    const table = await cli(['results', arn, '--format', 'table']);
    expect(table.stdout.split('\n').slice(0, 2)).toEqual(['recordId  result', 'rec000    embedding[1024]']);
  });

  it('submit without --wait prints the ARNs; results waits only when asked', async () => {
    const run = await cli(submit('--input', join(dir, 'folder')), manual);
    expect(run.code).toBe(0);
    const arn = run.stdout.trim();
    expect(arn.split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('1 job(s) created for 120 records');
    const early = await cli(['results', arn], manual);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain(`Job ${arn} is Submitted; its output is complete only when it ends. Add --wait to wait for it.`);
    const waiting = cli(['results', arn, '--wait', '--format', 'table'], manual);
    await manual.clock.advance(5 * 3_600_000);
    const done = await waiting;
    expect(done.code).toBe(0);
    expect(done.stdout.trim().split('\n')).toHaveLength(121); // both files of the folder, not notes.txt
  });

  it('explains bad input with the fix, exit code 2', async () => {
    const cases = await Promise.all([
      cli(submit('--input', join(dir, 'bad.jsonl'))),
      cli(submit('--input', join(dir, 'nope.jsonl'))),
      cli(submit('--input', join(dir, 'few.jsonl'))),
      cli(['submit', '--model', 'acme.nonexistent-v1', '--input', join(dir, 'good.jsonl'), '--bucket', 'b', '--role-arn', ROLE]),
      cli(['submit', '--model', 'anthropic.claude-3-opus-20240229-v1:0', '--region', 'eu-west-3', '--input', join(dir, 'good.jsonl'), '--bucket', 'b', '--role-arn', ROLE]),
      cli(['models', '--region', 'mars-1']),
      cli(['submit', '--model', EMBED]),
      cli(submit('--input', join(dir, 'good.jsonl')).map((a) => (a === 'cli-bucket' ? 'no-such-bucket' : a))),
      cli(['frobnicate']),
      cli(['results', 'abc', '--format', 'csv']),
      cli(['status', '']),
    ]);
    const messages = cases.map((c) => c.stderr.trim());
    expect(cases.map((c) => c.code)).toEqual(Array(cases.length).fill(2));
    expect(messages[0]).toMatch(new RegExp(`^bedrock-batch: ${join(dir, 'bad.jsonl')}:3: not valid JSON .*Each line must be a JSON object`));
    expect(messages[1]).toBe(`bedrock-batch: Input ${join(dir, 'nope.jsonl')} does not exist. Give a .jsonl file or a folder of .jsonl files.`);
    // The minimum is the one of the emulator the variables point at (100 by default, as on Bedrock).
    expect(messages[2]).toMatch(/has 1 records; the emulator at http:\/\/127\.0\.0\.1:\d+ requires at least 100 per job \(start it with --quota-min-records-per-job N to lower that\)\.$/);
    expect(messages[3]).toMatch(/^bedrock-batch: Unknown model 'acme.nonexistent-v1'\. Run `bedrock-batch models --region us-east-1`.*--skip-checks/);
    expect(messages[4]).toMatch(/not supported for batch inference in eu-west-3.*offered in us-west-2/);
    expect(messages[5]).toMatch(/^bedrock-batch: Unknown region 'mars-1'\. Bedrock regions: us-east-1, /);
    expect(messages[6]).toBe('bedrock-batch: submit needs --input, --bucket, --role-arn.');
    expect(messages[7]).toBe('bedrock-batch: Bucket no-such-bucket does not exist. Create it first (aws s3 mb s3://no-such-bucket) or pass another --bucket.');
    expect(messages[8]).toBe("bedrock-batch: Unknown command 'frobnicate'. Run bedrock-batch --help.");
    expect(messages[9]).toBe("bedrock-batch: --format must be jsonl or table, not 'csv'.");
    expect(messages[10]).toBe('bedrock-batch: status needs a job: bedrock-batch status JOB, JOB being its ARN or 12-character id (bedrock-batch list shows them).');
  });

  it("takes the minimum records per job from the emulator it talks to, Bedrock's without one", async () => {
    const low = await startEmulator({ quotas: { minRecordsPerJob: 1 } });
    try {
      await low.clients.s3.send(new CreateBucketCommand({ Bucket: 'cli-bucket' }));
      const run = await cli(submit('--input', join(dir, 'few.jsonl'), '--wait'), low);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/\tCompleted\n$/);
    } finally {
      await low.stop();
    }
    // An endpoint that is not an emulator (nothing answers /_emulator/config): Bedrock's minimum, and the flag that lowers it.
    const other = await cli(submit('--input', join(dir, 'few.jsonl')), { ...emulator, env: { ...emulator.env, AWS_ENDPOINT_URL_BEDROCK: 'http://127.0.0.1:9' } });
    expect(other.code).toBe(2);
    expect(other.stderr.trim()).toMatch(/has 1 records; a batch job needs at least 100 \(Bedrock's minimum per job\)\. .* pass --min-records-per-job N\.$/);
  });

  it('reports what Bedrock refuses, exit code 1', async () => {
    const gone = await cli(['status', 'abcdefghijkl']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^bedrock-batch: ResourceNotFoundException: /);
    const unchecked = await cli(['submit', '--model', 'acme.nonexistent-v1', '--skip-checks', '--input', join(dir, 'good.jsonl'), '--bucket', 'cli-bucket', '--role-arn', ROLE]);
    expect(unchecked.code).toBe(1);
    expect(unchecked.stderr).toBe('bedrock-batch: ValidationException: The provided model identifier is invalid.\n');
    const down = await cli(['list'], { ...emulator, env: { ...emulator.env, AWS_ENDPOINT_URL_BEDROCK: 'http://127.0.0.1:9' } });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/ECONNREFUSED.*is the emulator running/);
  });

  it('lists the models that run in batch in a region', async () => {
    const west = await cli(['models', '--region', 'us-west-2']);
    expect(west.stdout).toMatch(/^anthropic\.claude-3-opus-20240229-v1:0\tAnthropic\tClaude 3 Opus$/m);
    // A model AWS runs in batch only through a profile is listed by its profile id.
    expect(west.stdout).toMatch(/^us\.anthropic\.claude-sonnet-4-5-20250929-v1:0\tAnthropic\tClaude Sonnet 4\.5$/m);
    expect(west.stdout).not.toMatch(/^anthropic\.claude-sonnet-4-5-20250929-v1:0\t/m);
    expect(west.stderr).toMatch(/models and inference profiles run in batch in us-west-2 \(batch support from this tool's model table/);
    const paris = await cli(['models', '--region', 'eu-west-3', '--offline']);
    expect(paris.stdout).not.toContain('claude-3-opus');
    // AWS's batch-inference-supported page lists Titan Multimodal Embeddings G1 for single-region batch in eu-west-3.
    expect(paris.stdout).toMatch(/^amazon\.titan-embed-image-v1\tAmazon\t/m);
  });

  it('submit --api openai runs the batch through the OpenAI Batch API, results next to the input', async () => {
    const args = ['submit', '--api', 'openai', '--api-key', 'bedrock-api-key-test', '--model', 'openai.gpt-oss-20b-1:0', '--bucket', 'cli-bucket', '--role-arn', ROLE, '--prefix', 'oa', '--job-name', 'cli-openai', '--input', join(dir, 'openai.jsonl')];
    const run = await cli([...args, '--wait']);
    expect(run.stderr).toContain('100 requests: 100 succeeded, 0 failed.');
    const [id, status] = run.stdout.trim().split('\t');
    expect(status).toBe('completed');
    expect(run.stderr).toContain(`s3://cli-bucket/oa/${id}/cli-openai.jsonl.out`);
    expect(run.code).toBe(0);
    const noKey = await cli(args.filter((a) => a !== '--api-key' && a !== 'bedrock-api-key-test'));
    expect([noKey.code, noKey.stderr]).toEqual([2, expect.stringContaining('AWS_BEARER_TOKEN_BEDROCK')]);
  });

  it('serve names a port in use and the option that moves it', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const data = mkdtempSync(join(tmpdir(), 'bbe-port-'));
    try {
      const [bedrock, s3] = await Promise.all([
        cli(['serve', '--port', String(port), '--s3-port', '0', '--data-dir', join(data, 'a')]),
        cli(['serve', '--port', '0', '--s3-port', String(port), '--data-dir', join(data, 'b')]),
      ]);
      expect([bedrock.code, s3.code]).toEqual([1, 1]);
      expect(bedrock.stderr).toContain(`port ${port} on 127.0.0.1 is already in use (another emulator?). Stop what holds it, or choose another port with --port N (or BEDROCK_EMULATOR_PORT; 0 picks a free one)`);
      expect(s3.stderr).toContain(`port ${port} on 127.0.0.1 is already in use (another emulator?). Stop what holds it, or choose another port with --s3-port N (or BEDROCK_EMULATOR_S3_PORT; 0 picks a free one)`);
    } finally {
      taken.close();
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('prints its usage', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: bedrock-batch <command>/);
    // serve's options are the emulator's (npm start -- --help prints the same).
    const serve = await cli(['serve', '--help']);
    expect(serve.code).toBe(0);
    expect(serve.stdout).toMatch(/^Usage: npm start -- \[options\]/);
    expect(serve.stdout).toMatch(/^ {2}--port N +Bedrock, HTTP\/1\.1 and cleartext HTTP\/2 \(default 4580\)$/m);
    expect(serve.stdout).toMatch(/^ {2}--quota-NAME N +batch quotas: min-records-per-job \(100\)/m);
  });
});
