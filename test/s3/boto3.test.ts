// boto3 and the AWS CLI (both on this project's machines) against the emulator: default-settings S3 uploads
// (put_object, multipart upload_fileobj) read back byte-identical, the batch workflow, runtime calls and errors.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';

const run = promisify(execFile);
let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({ quotas: { minRecordsPerJob: 1 } });
});
afterAll(() => emulator.stop());

describe('Python clients', () => {
  it('boto3: S3 uploads, batch job, Converse, stream, typed errors', async () => {
    const { stdout } = await run('python3', [new URL('./boto3_workflow.py', import.meta.url).pathname], { env: { ...process.env, ...emulator.env }, timeout: 60_000 });
    expect(stdout.split('\n')).toEqual(expect.arrayContaining(["Completed 3 <class 'datetime.datetime'>", '9 stream events', 'ValidationException ok']));
    expect(stdout).toMatch(/^end_turn /m);
  });

  it('the AWS CLI: s3 cp round trip and a control-plane call', async () => {
    const env = { ...process.env, ...emulator.env };
    await run('aws', ['s3', 'mb', 's3://cli-bucket'], { env });
    await run('aws', ['s3', 'cp', new URL('./boto3_workflow.py', import.meta.url).pathname, 's3://cli-bucket/x.py'], { env });
    const { stdout } = await run('aws', ['s3', 'cp', 's3://cli-bucket/x.py', '-'], { env });
    expect(stdout).toContain('boto3.client("bedrock")');
    const models = await run('aws', ['bedrock', 'list-foundation-models', '--by-provider', 'anthropic', '--output', 'json'], { env });
    expect(JSON.parse(models.stdout).modelSummaries.length).toBeGreaterThan(5);
  });
});
