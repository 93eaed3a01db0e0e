import { BedrockRuntimeClient, ConverseCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { CreateModelInvocationJobCommand, ListModelInvocationJobsCommand, ListTagsForResourceCommand, StopModelInvocationJobCommand } from '@aws-sdk/client-bedrock';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILIES as FAKE_MODELS } from '../../src/fake-models/index.js';
import { listModels, type ModelInfo } from '../../src/registry/index.js';
import { claude, clientsFor, putJsonl, readText, ROLE, startEmulatorForTest, waitFor } from './helpers.js';

let env: Awaited<ReturnType<typeof startEmulatorForTest>>;
beforeAll(async () => {
  env = await startEmulatorForTest({ quotas: { minRecordsPerJob: 1 } });
  await putJsonl(env.s3, 'in-bucket', 'keep', []);
  await putJsonl(env.s3, 'out-bucket', 'keep', []);
});
afterAll(() => env.cleanup());

const admin = (path: string, body: unknown) => fetch(`${env.server.endpoint}/_emulator/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
let n = 0;
async function submit(modelId: string, inputUri: string, extra: Record<string, unknown> = {}) {
  const out = await env.bedrock.send(new CreateModelInvocationJobCommand({
    jobName: `job-${++n}`,
    roleArn: ROLE,
    modelId,
    inputDataConfig: { s3InputDataConfig: { s3Uri: inputUri } },
    outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://out-bucket/results/' } },
    ...extra,
  }));
  return out.jobArn!;
}

/** Every family Bedrock runs in batch, with the sample records in fixtures/ (5 per family). */
const FAMILIES = listModels()
  // Families in the catalogue before their fake model exists are listed but refused (test/registry covers that).
  .filter((m) => m.batchRegions.length && Object.hasOwn(FAKE_MODELS, m.family))
  .reduce((byFamily, m) => (byFamily.has(m.family) ? byFamily : byFamily.set(m.family, m)), new Map<string, ModelInfo>());

async function submitIn(region: string, modelId: string, inputUri: string) {
  const { bedrock } = clientsFor(env.server, region);
  const out = await bedrock.send(new CreateModelInvocationJobCommand({
    jobName: `job-${++n}`, roleArn: ROLE, modelId,
    inputDataConfig: { s3InputDataConfig: { s3Uri: inputUri } },
    outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://out-bucket/results/' } },
  }));
  return { bedrock, jobArn: out.jobArn! };
}

const FAILURES: [string, string, RegExp][] = [
  ['no input', 's3://in-bucket/nothing-here/', /No input files/],
  ['a bad line', 's3://in-bucket/badline.jsonl', /Line 2 of s3:\/\/in-bucket\/badline.jsonl/],
  ['too few records', 's3://in-bucket/few.jsonl', /fewer than the minimum of 5/],
  ['too many records in a file', 's3://in-bucket/two.jsonl', /more than 1 records, the quota of records per batch inference input file/],
  ['a file over the size quota', 's3://in-bucket/few.jsonl', /over the quota of 10 bytes per batch inference input file/],
  ['a missing bucket', 's3://no-such-bucket/x.jsonl', /can't access the S3 bucket no-such-bucket/],
  ['an object that is not .jsonl', 's3://in-bucket/data.txt', /must have the .jsonl extension/],
];

describe('the seed workflow: upload JSONL, create, poll, read outputs and manifest', () => {
  it.each([...FAMILIES.values()].map((m) => [m.family, m] as const))('%s', async (family, model) => {
    const region = model.batchRegions.includes('us-east-1') ? 'us-east-1' : model.batchRegions[0];
    const fixture = readFileSync(new URL(`../../fixtures/sample-${family}.jsonl`, import.meta.url), 'utf8');
    await putJsonl(env.s3, 'in-bucket', `fixtures/${family}.jsonl`, fixture.trim().split('\n'));
    await putJsonl(env.s3, 'out-bucket', 'keep', []);
    const { bedrock, jobArn: arn } = await submitIn(region, model.id, `s3://in-bucket/fixtures/${family}.jsonl`);
    expect(arn).toMatch(new RegExp(`^arn:aws:bedrock:${region}:123456789012:model-invocation-job/[a-z0-9]{12}$`));
    const job = await waitFor(bedrock, arn);
    expect(job.status).toBe('Completed');
    expect([job.totalRecordCount, job.processedRecordCount, job.successRecordCount, job.errorRecordCount]).toEqual([5, 5, 5, 0]);
    const id = arn.split('/').pop();
    const lines = (await readText(env.s3, 'out-bucket', `results/${id}/${family}.jsonl.out`)).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.recordId)).toEqual(fixture.trim().split('\n').map((l) => JSON.parse(l).recordId));
    expect(lines.every((l) => l.modelOutput && !l.error)).toBe(true);
    const manifest = JSON.parse(await readText(env.s3, 'out-bucket', `results/${id}/manifest.json.out`));
    expect(manifest).toMatchObject({ totalRecordCount: 5, processedRecordCount: 5, successRecordCount: 5, errorRecordCount: 0 });
    expect(manifest.inputTokenCount).toBeGreaterThan(0);
    expect(job.jobExpirationTime!.getTime() - job.submitTime!.getTime()).toBe(24 * 3600_000);
  });

  it('adds an 11-character recordId to records without one', async () => {
    await putJsonl(env.s3, 'in-bucket', 'noid.jsonl', [{ modelInput: claude('a') }, { recordId: 'kept', modelInput: claude('b') }]);
    const arn = await submit('anthropic.claude-3-haiku-20240307-v1:0', 's3://in-bucket/noid.jsonl');
    await waitFor(env.bedrock, arn);
    const lines = (await readText(env.s3, 'out-bucket', `results/${arn.split('/').pop()}/noid.jsonl.out`)).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.recordId)).toEqual([expect.stringMatching(/^[A-Za-z0-9]{11}$/), 'kept']);
  });

  it('turns records the model rejects into error lines, not a failed job', async () => {
    await putJsonl(env.s3, 'in-bucket', 'mixed.jsonl', [{ recordId: 'ok', modelInput: claude('fine') }, { recordId: 'bad', modelInput: { anthropic_version: 'bedrock-2023-05-31', messages: [] } }]);
    const arn = await submit('anthropic.claude-3-haiku-20240307-v1:0', 's3://in-bucket/mixed.jsonl');
    const job = await waitFor(env.bedrock, arn);
    expect(job.status).toBe('Completed');
    expect([job.successRecordCount, job.errorRecordCount]).toEqual([1, 1]);
    const lines = (await readText(env.s3, 'out-bucket', `results/${arn.split('/').pop()}/mixed.jsonl.out`)).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[1]).toEqual({ recordId: 'bad', modelInput: { anthropic_version: 'bedrock-2023-05-31', messages: [] }, error: { errorCode: 400, errorMessage: expect.stringContaining('max_tokens') } });
  });

  it('reads every .jsonl under a prefix and runs Converse-format records', async () => {
    const converse = { messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { maxTokens: 10 } };
    const invalid = { messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { maxTokens: 0 } };
    await putJsonl(env.s3, 'in-bucket', 'folder/a.jsonl', [{ recordId: 'a', modelInput: converse }, { recordId: 'bad', modelInput: invalid }]);
    await putJsonl(env.s3, 'in-bucket', 'folder/b.jsonl', [{ recordId: 'b', modelInput: converse }]);
    await putJsonl(env.s3, 'in-bucket', 'folder/ignore.txt', ['x']);
    const arn = await submit('anthropic.claude-3-haiku-20240307-v1:0', 's3://in-bucket/folder/', { modelInvocationType: 'Converse' });
    const job = await waitFor(env.bedrock, arn);
    expect(job.message).toBeUndefined();
    expect(job.status).toBe('Completed');
    expect(job.modelInvocationType).toBe('Converse');
    const b = JSON.parse((await readText(env.s3, 'out-bucket', `results/${arn.split('/').pop()}/b.jsonl.out`)).trim());
    expect(b.modelOutput.output.message.role).toBe('assistant');
    // The service model's constraints on a ConverseRequest apply to batch records too: an error line, not a job failure.
    const a = (await readText(env.s3, 'out-bucket', `results/${arn.split('/').pop()}/a.jsonl.out`)).trim().split('\n').map((l) => JSON.parse(l));
    expect(a[1].error).toEqual({ errorCode: 400, errorMessage: expect.stringContaining("at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1") });
    expect([job.successRecordCount, job.errorRecordCount]).toEqual([2, 1]);
  });

  it('answers each record as the runtime answers the same body (InvokeModel and Converse)', async () => {
    const runtime = new BedrockRuntimeClient({ endpoint: env.server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
    const model = 'anthropic.claude-3-haiku-20240307-v1:0';
    const invokeBodies = Array.from({ length: 5 }, (_, i) => claude(`Same answer ${i}?`, 20 + 20 * i));
    const converseBodies = Array.from({ length: 5 }, (_, i) => ({ messages: [{ role: 'user', content: [{ text: `Same answer ${i}?` }] }], inferenceConfig: { maxTokens: 20 + 20 * i } }));
    await putJsonl(env.s3, 'in-bucket', 'same/invoke.jsonl', invokeBodies.map((modelInput, i) => ({ recordId: `i${i}`, modelInput })));
    await putJsonl(env.s3, 'in-bucket', 'same-converse/converse.jsonl', converseBodies.map((modelInput, i) => ({ recordId: `c${i}`, modelInput })));
    const invokeJob = await submit(model, 's3://in-bucket/same/invoke.jsonl');
    const converseJob = await submit(model, 's3://in-bucket/same-converse/converse.jsonl', { modelInvocationType: 'Converse' });
    await Promise.all([waitFor(env.bedrock, invokeJob), waitFor(env.bedrock, converseJob)]);
    const outputs = async (arn: string, file: string) =>
      (await readText(env.s3, 'out-bucket', `results/${arn.split('/').pop()}/${file}.out`)).trim().split('\n').map((l) => JSON.parse(l).modelOutput);
    const invoked = await Promise.all(invokeBodies.map(async (body) => {
      const res = await runtime.send(new InvokeModelCommand({ modelId: model, body: JSON.stringify(body), contentType: 'application/json' }));
      return JSON.parse(new TextDecoder().decode(res.body));
    }));
    expect(await outputs(invokeJob, 'invoke.jsonl')).toEqual(invoked);
    const conversed = await Promise.all(converseBodies.map(async (body) => {
      const { output, stopReason, usage } = await runtime.send(new ConverseCommand({ modelId: model, ...body } as never));
      return { output, stopReason, usage };
    }));
    // metrics.latencyMs is each call's own.
    expect((await outputs(converseJob, 'converse.jsonl')).map(({ metrics: _, ...rest }) => rest)).toEqual(conversed);
    expect(new Set(invoked.map((o) => o.content[0].text)).size).toBe(5);
    runtime.destroy();
  });

  it.each(FAILURES)('fails the job for %s with a message', async (_name, uri, message) => {
    await putJsonl(env.s3, 'in-bucket', 'badline.jsonl', [{ modelInput: claude('x') }, '{"recordId": 1}']);
    await putJsonl(env.s3, 'in-bucket', 'few.jsonl', [{ modelInput: claude('x') }]);
    await putJsonl(env.s3, 'in-bucket', 'data.txt', [{ modelInput: claude('x') }]);
    await putJsonl(env.s3, 'in-bucket', 'two.jsonl', [{ modelInput: claude('x') }, { modelInput: claude('y') }]);
    const quotas: Record<string, object> = {
      'too few records': { minRecordsPerJob: 5 },
      'too many records in a file': { maxRecordsPerFile: 1 },
      'a file over the size quota': { maxInputFileBytes: 10 },
    };
    await admin('config', { quotas: { minRecordsPerJob: 1, ...quotas[_name] } });
    const job = await waitFor(env.bedrock, await submit('anthropic.claude-3-haiku-20240307-v1:0', uri));
    await admin('config', { quotas: { minRecordsPerJob: 1, maxRecordsPerFile: 50_000, maxInputFileBytes: 512 * 1024 * 1024 } });
    expect(job.status).toBe('Failed');
    expect(job.message).toMatch(message);
    expect(job.endTime).toBeInstanceOf(Date);
  });

  it('refuses a model not offered for batch in the region, and tags the job', async () => {
    const err = await submit('anthropic.claude-3-opus-20240229-v1:0', 's3://in-bucket/mixed.jsonl').catch((e) => e);
    expect(err.name).toBe('ValidationException');
    expect(err.message).toContain('us-west-2');
    const arn = await submit('anthropic.claude-3-haiku-20240307-v1:0', 's3://in-bucket/mixed.jsonl', { tags: [{ key: 'team', value: 'ml' }] });
    const tags = await env.bedrock.send(new ListTagsForResourceCommand({ resourceARN: arn }));
    expect(tags.tags).toEqual([{ key: 'team', value: 'ml' }]);
    await waitFor(env.bedrock, arn);
  });

  it('is idempotent on clientRequestToken and conflicts on changed parameters', async () => {
    const token = 'b5e3f7a0-1111-4222-8333-944455556666';
    const a = await submit('anthropic.claude-3-haiku-20240307-v1:0', 's3://in-bucket/mixed.jsonl', { clientRequestToken: token, jobName: 'same' });
    const b = await submit('anthropic.claude-3-haiku-20240307-v1:0', 's3://in-bucket/mixed.jsonl', { clientRequestToken: token, jobName: 'same' });
    expect(b).toBe(a);
    const c = await submit('anthropic.claude-3-haiku-20240307-v1:0', 's3://in-bucket/few.jsonl', { clientRequestToken: token, jobName: 'same' }).catch((e) => e);
    expect(c.name).toBe('ConflictException');
    expect(c.$metadata.httpStatusCode).toBe(400);
  });

  it('lists with filters and opaque pages', async () => {
    // Its own emulator and jobs: 4 that complete, 2 that fail, one named 'same-name'.
    const own = await startEmulatorForTest({ quotas: { minRecordsPerJob: 1 } });
    try {
      await putJsonl(own.s3, 'in-bucket', 'ok.jsonl', [{ modelInput: claude('x') }]);
      await putJsonl(own.s3, 'out-bucket', 'keep', []);
      const create = (jobName: string, uri: string) =>
        own.bedrock.send(new CreateModelInvocationJobCommand({
          jobName, roleArn: ROLE, modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
          inputDataConfig: { s3InputDataConfig: { s3Uri: uri } },
          outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://out-bucket/results/' } },
        }));
      const names = ['ok-1', 'ok-2', 'ok-3', 'same-name', 'missing-1', 'missing-2'];
      for (const name of names) {
        const { jobArn } = await create(name, name.startsWith('missing') ? 's3://in-bucket/none.jsonl' : 's3://in-bucket/ok.jsonl');
        await waitFor(own.bedrock, jobArn!);
      }
      const all = await own.bedrock.send(new ListModelInvocationJobsCommand({}));
      expect(all.invocationJobSummaries!.map((j) => j.jobName)).toEqual([...names].reverse()); // newest first by default
      const seen: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await own.bedrock.send(new ListModelInvocationJobsCommand({ maxResults: 4, nextToken }));
        expect(page.invocationJobSummaries!.length).toBeLessThanOrEqual(4);
        seen.push(...page.invocationJobSummaries!.map((j) => j.jobArn!));
        nextToken = page.nextToken;
      } while (nextToken);
      expect(seen).toEqual(all.invocationJobSummaries!.map((j) => j.jobArn));
      const failed = await own.bedrock.send(new ListModelInvocationJobsCommand({ statusEquals: 'Failed', sortOrder: 'Ascending' }));
      expect(failed.invocationJobSummaries!.map((j) => j.jobName)).toEqual(['missing-1', 'missing-2']);
      const named = await own.bedrock.send(new ListModelInvocationJobsCommand({ nameContains: 'same' }));
      expect(named.invocationJobSummaries!.map((j) => j.jobName)).toEqual(['same-name']);
      const bad = await own.bedrock.send(new ListModelInvocationJobsCommand({ nextToken: 'garbage' })).catch((e) => e);
      expect(bad.name).toBe('ValidationException');
    } finally {
      await own.cleanup();
    }
  });

  it("Apache Airflow's Bedrock batch system test: stopping a Completed job answers ValidationException 'State was: Completed'", async () => {
    await putJsonl(env.s3, 'in-bucket', 'stop-finished.jsonl', [{ modelInput: claude('x') }]);
    const arn = await submit('anthropic.claude-3-haiku-20240307-v1:0', 's3://in-bucket/stop-finished.jsonl');
    expect((await waitFor(env.bedrock, arn)).status).toBe('Completed');
    const err = await env.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn })).catch((e) => e);
    expect(err.name).toBe('ValidationException');
    expect(err.message).toContain('State was: Completed');
  });
});
