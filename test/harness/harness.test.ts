// startEmulator: isolated emulators on random ports with temp data dirs, ready clients, the clock, reset and stop.
import { CreateInferenceProfileCommand, CreateModelInvocationJobCommand, GetModelInvocationJobCommand, ListInferenceProfilesCommand, ListModelInvocationJobsCommand } from '@aws-sdk/client-bedrock';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';

const ROLE = 'arn:aws:iam::123456789012:role/BedrockBatchRole';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const HOUR = 3_600_000;

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({ timing: 'manual', quotas: { minRecordsPerJob: 1 } });
});
afterAll(() => emulator.stop());

const status = async (jobArn: string) => (await emulator.clients.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }))).status;
const config = async () => (await fetch(`${emulator.endpoints.bedrock}/_emulator/config`)).json();
const converse = async () =>
  (await emulator.clients.bedrockRuntime.send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'what is the weather?' }] }] }))).output?.message?.content?.[0].text;

let jobs = 0;
async function createJob(bucket = 'harness') {
  await emulator.clients.s3.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
  const record = { recordId: 'r1', modelInput: { inputText: 'hello' } };
  await emulator.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/records.jsonl', Body: JSON.stringify(record) }));
  const { jobArn } = await emulator.clients.bedrock.send(
    new CreateModelInvocationJobCommand({
      jobName: `harness-job-${++jobs}`, roleArn: ROLE, modelId: 'amazon.titan-embed-text-v2:0',
      inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://${bucket}/in/` } }, outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://${bucket}/out/` } },
    }),
  );
  return jobArn!;
}

describe('startEmulator', () => {
  it('listens on random ports, with env and clients that point at them', async () => {
    const { bedrock, bedrockRuntime, s3 } = emulator.endpoints;
    expect(bedrock).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bedrockRuntime).toBe(bedrock);
    expect(s3).not.toBe(bedrock);
    expect([bedrock, s3].map((u) => new URL(u).port)).not.toContain('4580');
    expect(emulator.env).toEqual({
      AWS_ENDPOINT_URL_BEDROCK: bedrock, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock, AWS_ENDPOINT_URL_S3: s3,
      AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test',
    });
    expect((await fetch(`${bedrock}/_emulator/health`)).status).toBe(200);
    expect(await converse()).toEqual(expect.any(String));
  });

  it('keeps two emulators apart, and removes its temp data dir on stop (a given one is kept)', async () => {
    const mine = mkdtempSync(join(tmpdir(), 'bbe-harness-'));
    const [other, kept] = await Promise.all([startEmulator({ region: 'eu-west-1' }), startEmulator({ dataDir: mine })]);
    try {
      await other.clients.s3.send(new CreateBucketCommand({ Bucket: 'only-in-other' }));
      const names = async (e: EmulatorHandle) => ((await e.clients.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);
      expect(await names(other)).toEqual(['only-in-other']);
      expect(await names(kept)).toEqual([]);
      expect(other.env.AWS_REGION).toBe('eu-west-1');
      expect(await other.clients.bedrock.config.region()).toBe('eu-west-1');
      const dataDir = other.server.config.dataDir;
      expect(existsSync(dataDir)).toBe(true);
      await Promise.all([other.stop(), kept.stop()]);
      expect(existsSync(dataDir)).toBe(false);
      expect(existsSync(mine)).toBe(true);
      await expect(fetch(`${other.endpoints.bedrock}/_emulator/health`)).rejects.toThrow();
    } finally {
      rmSync(mine, { recursive: true, force: true });
    }
  });

  it('moves jobs only when the clock is advanced (timing manual)', async () => {
    const jobArn = await createJob();
    const before = emulator.clock.now();
    expect(await status(jobArn)).toBe('Submitted');
    await emulator.clock.advance(HOUR);
    expect(emulator.clock.now() - before).toBeGreaterThanOrEqual(HOUR);
    expect(await status(jobArn)).toBe('Validating');
    await emulator.clock.advance(3 * HOUR);
    expect(await status(jobArn)).toBe('Completed');
  });

  it('answers runtime requests while the test fakes every timer (vi.useFakeTimers())', async () => {
    // node:http, not fetch or an SDK client: their own timers would be faked too.
    const invoke = (prompt: string) =>
      new Promise<{ status?: number; body: string }>((resolve, reject) => {
        const req = http.request(`${emulator.endpoints.bedrock}/model/${HAIKU}/invoke`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode, body }));
        });
        req.on('error', reject);
        req.end(JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 20, messages: [{ role: 'user', content: prompt }] }));
      });
    vi.useFakeTimers();
    try {
      const answers = await Promise.all(['one', 'two', 'three'].map(invoke));
      for (const { status, body } of answers) {
        expect(status).toBe(200);
        expect(JSON.parse(body)).toMatchObject({ type: 'message', role: 'assistant' });
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it('reset empties jobs, profiles, scripts, S3 and config changes, and keeps serving on the same endpoints', async () => {
    await createJob('to-be-emptied');
    await emulator.clients.bedrock.send(
      new CreateInferenceProfileCommand({ inferenceProfileName: 'team-a', modelSource: { copyFrom: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}` } }),
    );
    await fetch(`${emulator.endpoints.bedrock}/_emulator/scripts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ modelId: HAIKU, match: 'weather', response: { text: 'It is sunny' } }) });
    await fetch(`${emulator.endpoints.bedrock}/_emulator/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ timing: 'fast', stateDurations: { Validating: 5 }, quotas: { maxRecordsPerJob: 3 } }) });
    const initial = { timing: 'manual', stateDurations: {}, quotas: { minRecordsPerJob: 1, maxRecordsPerJob: 50_000 } };
    expect(await config()).not.toMatchObject(initial);
    expect(await converse()).toBe('It is sunny');

    const endpoints = { ...emulator.endpoints };
    await emulator.reset();
    expect(emulator.endpoints).toEqual(endpoints);
    expect((await emulator.clients.bedrock.send(new ListModelInvocationJobsCommand({}))).invocationJobSummaries).toEqual([]);
    expect((await emulator.clients.bedrock.send(new ListInferenceProfilesCommand({ typeEquals: 'APPLICATION' }))).inferenceProfileSummaries).toEqual([]);
    expect((await emulator.clients.s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    const after = await config();
    expect(after).toMatchObject(initial);
    expect(after.stateDurations).toEqual({});
    expect(await converse()).not.toBe('It is sunny');
    // A fresh job runs as on a new emulator.
    const jobArn = await createJob();
    await emulator.clock.advance(4 * HOUR);
    expect(await status(jobArn)).toBe('Completed');
  });
});
