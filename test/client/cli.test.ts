import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';

const run = promisify(execFile);
let emulator: EmulatorHandle;
const dir = mkdtempSync(join(tmpdir(), 'bbe-cli-'));
const ROLE = 'arn:aws:iam::123456789012:role/BedrockBatchRole';

beforeAll(async () => {
  emulator = await startEmulator({ quotas: { minRecordsPerJob: 1 } });
  await emulator.clients.s3.send(new CreateBucketCommand({ Bucket: 'cli-bucket' }));
  writeFileSync(join(dir, 'good.jsonl'), ['a', 'b', 'c'].map((t) => JSON.stringify({ recordId: t, modelInput: { inputText: t } })).join('\n'));
  writeFileSync(join(dir, 'bad.jsonl'), '{"modelInput": {}}\n{oops\n');
});
afterAll(async () => {
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) =>
  run(process.execPath, ['bin/bedrock-batch.js', ...args], { env: { ...process.env, ...emulator.env } }).then(
    (r) => ({ code: 0, ...r }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  );

describe('bedrock-batch CLI', () => {
  it('submits with --wait, shows progress, then status and results work', async () => {
    const submit = await cli('submit', '--model', 'amazon.titan-embed-text-v2:0', '--input', join(dir, 'good.jsonl'), '--bucket', 'cli-bucket', '--role-arn', ROLE, '--wait', '--min-records-per-job', '1');
    expect(submit.code).toBe(0);
    expect(submit.stderr).toMatch(/3\/3 records/);
    const [arn, status] = submit.stdout.split('\n')[0].split('\t');
    expect(status).toBe('Completed');
    const st = await cli('status', arn);
    expect(JSON.parse(st.stdout)).toMatchObject({ status: 'Completed', total: 3, success: 3 });
    const results = await cli('results', arn);
    expect(results.stdout.trim().split('\n').map((l) => JSON.parse(l).recordId).sort()).toEqual(['a', 'b', 'c']);
    expect((await cli('list')).stdout).toContain(arn);
  });

  it('names the file and line of a bad JSONL line, and other input errors, with exit code 2', async () => {
    const bad = await cli('submit', '--model', 'amazon.titan-embed-text-v2:0', '--input', join(dir, 'bad.jsonl'), '--bucket', 'cli-bucket', '--role-arn', ROLE);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${join(dir, 'bad.jsonl')}:2: not valid JSON`);
    const missing = await cli('submit', '--model', 'amazon.titan-embed-text-v2:0', '--input', join(dir, 'nope.jsonl'), '--bucket', 'cli-bucket', '--role-arn', ROLE);
    expect(missing.stderr).toMatch(/does not exist/);
    const region = await cli('models', '--region', 'mars-1');
    expect(region.stderr).toMatch(/Unknown region mars-1/);
  });

  it('lists the models that run in batch in a region', async () => {
    const out = await cli('models', '--region', 'us-west-2');
    expect(out.stdout).toContain('anthropic.claude-3-opus-20240229-v1:0');
    expect((await cli('models', '--region', 'eu-west-3')).stdout).not.toContain('claude-3-opus');
  });
});
