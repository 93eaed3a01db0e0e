// Load (npm run test:reliability): 200 job submissions across models and regions plus 1,000 concurrent runtime
// calls. The only errors are the intended quota refusals; every accepted job completes; no call is lost.
import { CreateModelInvocationJobCommand } from '@aws-sdk/client-bedrock';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../src/emulator/harness.js';
import { clientsFor, waitFor } from './jobs/helpers.js';

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({ quotas: { minRecordsPerJob: 1 } });
});
afterAll(() => emulator.stop());

const TARGETS: [string, string, unknown][] = [
  ['us-east-1', 'anthropic.claude-3-haiku-20240307-v1:0', { anthropic_version: 'bedrock-2023-05-31', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }],
  ['eu-west-1', 'anthropic.claude-3-haiku-20240307-v1:0', { anthropic_version: 'bedrock-2023-05-31', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }],
  ['us-west-2', 'meta.llama3-1-70b-instruct-v1:0', { prompt: 'hi', max_gen_len: 20 }],
  ['us-east-1', 'amazon.titan-embed-text-v2:0', { inputText: 'hi' }],
];

const keyOf = (modelId: string) => modelId.replace(/[^a-z0-9.-]/g, '-');

describe('load', () => {
  it('200 jobs and 1,000 concurrent runtime calls: only quota errors, no lost or stuck job', async () => {
    const { s3 } = emulator.clients;
    await s3.send(new CreateBucketCommand({ Bucket: 'load-in' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'load-out' }));
    for (const [, modelId, body] of TARGETS) {
      await s3.send(new PutObjectCommand({ Bucket: 'load-in', Key: `${keyOf(modelId)}.jsonl`, Body: Array.from({ length: 20 }, () => JSON.stringify({ modelInput: body })).join('\n') }));
    }
    const runtime = Array.from({ length: 1000 }, (_, i) => {
      const [region, modelId, body] = TARGETS[i % TARGETS.length];
      return fetch(`${emulator.endpoints.bedrock}/model/${encodeURIComponent(modelId)}/invoke`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', authorization: `AWS4-HMAC-SHA256 Credential=AKID/20261124/${region}/bedrock/aws4_request, SignedHeaders=host, Signature=0` },
      }).then((r) => r.status);
    });
    const jobs = Array.from({ length: 200 }, (_, i) => {
      const [region, modelId] = TARGETS[i % TARGETS.length];
      const { bedrock } = clientsFor(emulator.server, region);
      return bedrock
        .send(new CreateModelInvocationJobCommand({
          jobName: `load-${i}`, roleArn: 'arn:aws:iam::123456789012:role/R', modelId,
          inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://load-in/${keyOf(modelId)}.jsonl` } },
          outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://load-out/out/' } },
        }))
        .then((out) => ({ region, arn: out.jobArn! }), (e) => ({ region, error: e.name as string }));
    });
    const statuses = await Promise.all(runtime);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const created = await Promise.all(jobs);
    const errors = created.filter((c) => 'error' in c).map((c) => (c as { error: string }).error);
    expect(new Set(errors)).toEqual(new Set(errors.length ? ['ServiceQuotaExceededException'] : []));
    const accepted = created.filter((c): c is { region: string; arn: string } => 'arn' in c);
    expect(accepted.length).toBeGreaterThanOrEqual(TARGETS.length * 10);
    await emulator.settle();
    for (const job of accepted) {
      const done = await waitFor(clientsFor(emulator.server, job.region).bedrock, job.arn);
      expect(done.status).toBe('Completed');
      expect(done.successRecordCount).toBe(20);
    }
  });
});
