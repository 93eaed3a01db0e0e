// An OpenAI batch survives kill -9 like the Bedrock jobs do (test/jobs/recovery.test.ts): a child emulator is
// killed mid-way through the requests, restarted on the same data dir, and the batch still completes with every
// request answered exactly once in `.jsonl.out`. The kill points come from RECOVERY_SEED (printed in the name).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import OpenAI from 'openai';
import { afterAll, expect, it } from 'vitest';
import { jobProgress, kill, killChildren, spawnEmulator } from '../support/emulator-process.js';
import { prng } from '../support/prng.js';

const SEED = Number(process.env.RECOVERY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const GPT = 'openai.gpt-oss-20b-1:0';
const REQUESTS = 600;
const dirs: string[] = [];
afterAll(() => {
  killChildren();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function start(dataDir: string) {
  const emu = await spawnEmulator(['--data-dir', dataDir, '--timing', 'instant', '--records-per-second', '300']);
  const openai = new OpenAI({ baseURL: `${emu.endpoint}/openai/v1`, apiKey: 'bedrock-api-key-test', maxRetries: 0, defaultHeaders: { 'X-Amzn-Bedrock-RoleArn': 'arn:aws:iam::123456789012:role/BatchRole' } });
  return { ...emu, openai };
}

it(`an OpenAI batch completes across kill -9 restarts, every request once (RECOVERY_SEED=${SEED})`, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bbe-openai-crash-'));
  dirs.push(dataDir);
  let emu = await start(dataDir);
  const lines = Array.from({ length: REQUESTS }, (_, i) => ({ custom_id: `req-${i}`, method: 'POST', url: '/v1/chat/completions', body: { model: GPT, messages: [{ role: 'user', content: `item ${i}` }], max_tokens: 16 } }));
  await emu.s3.send(new CreateBucketCommand({ Bucket: 'crash' }));
  await emu.s3.send(new PutObjectCommand({ Bucket: 'crash', Key: 'in/batch.jsonl', Body: lines.map((l) => JSON.stringify(l)).join('\n') }));
  const batch = await emu.openai.batches.create({ input_file_id: 's3://crash/in/batch.jsonl', endpoint: '/v1/chat/completions', completion_window: '24h' }, { headers: { 'X-Amzn-Bedrock-ModelId': GPT } });

  // Kill once or twice, each when a seeded share of the requests has been answered (or the batch is done).
  const random = prng(SEED);
  const share = () => random() * 0.9;
  const kills = [share(), share()].slice(0, 1 + (SEED % 2)).sort();
  const log: string[] = [];
  for (const at of kills) {
    let b = await emu.openai.batches.retrieve(batch.id);
    while (b.request_counts!.completed < at * REQUESTS && !['completed', 'failed'].includes(b.status)) {
      await jobProgress(emu.endpoint, batch.id.slice('batch_'.length), b.request_counts!.completed + 1);
      b = await emu.openai.batches.retrieve(batch.id);
    }
    log.push(`killed at ${b.request_counts!.completed} answered (${b.status})`);
    await kill(emu);
    emu = await start(dataDir);
  }
  const where = `RECOVERY_SEED=${SEED}; ${log.join('; ')}`;
  let done = await emu.openai.batches.retrieve(batch.id);
  for (let i = 0; i < 10 && !['completed', 'failed', 'cancelled', 'expired'].includes(done.status); i++) {
    await jobProgress(emu.endpoint, batch.id.slice('batch_'.length), Number.MAX_SAFE_INTEGER, 30_000); // its end
    done = await emu.openai.batches.retrieve(batch.id);
  }
  expect(done.status, where).toBe('completed');
  expect(done.request_counts, where).toEqual({ total: REQUESTS, completed: REQUESTS, failed: 0 });
  const listed = await emu.s3.send(new ListObjectsV2Command({ Bucket: 'crash', Prefix: `in/${batch.id}/` }));
  expect(listed.Contents!.map((o) => o.Key).sort(), where).toEqual([`in/${batch.id}/batch.jsonl.err`, `in/${batch.id}/batch.jsonl.out`]);
  const out = await (await emu.s3.send(new GetObjectCommand({ Bucket: 'crash', Key: `in/${batch.id}/batch.jsonl.out` }))).Body!.transformToString();
  const ids = out.trim().split('\n').map((l) => JSON.parse(l).custom_id);
  expect(ids.length, where).toBe(REQUESTS);
  expect(new Set(ids).size, where).toBe(REQUESTS);
  await kill(emu);
});
