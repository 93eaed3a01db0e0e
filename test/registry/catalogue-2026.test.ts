// The 2026 catalogue over the wire, with the real SDK clients: what AWS's pages (and Claude's Bedrock page) say is
// listed, profiled and served. Expected ids and regions are written here from those pages:
//   Claude ids and profile geographies: https://platform.claude.com/docs/en/build-with-claude/claude-on-amazon-bedrock-legacy
//   profile-only models and their message: https://github.com/anthropics/anthropic-sdk-python/issues/894 (AWS's wording)
//   global profiles route to every commercial region: https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html
//   Nova 2 Lite / Nova Multimodal Embeddings / gpt-oss ids: https://docs.aws.amazon.com/bedrock/latest/userguide/batch-inference-supported.html,
//   https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-openai.html
import { BedrockClient, CreateModelInvocationJobCommand, GetFoundationModelCommand, ListFoundationModelsCommand, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';
import { listModels, resolveModel } from '../../src/registry/index.js';
import { claude, putJsonl, readText, ROLE, waitFor } from '../jobs/helpers.js';

const SONNET_45 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const ON_DEMAND_REFUSED = /^Invocation of model ID anthropic\.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn’t supported\. Retry your request with the ID or ARN of an inference profile that contains this model\./;

let emu: EmulatorHandle;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const bedrock = (region: string) => new BedrockClient({ endpoint: emu.endpoints.bedrock, region, credentials, maxAttempts: 1 });
const runtime = (region: string) => new BedrockRuntimeClient({ endpoint: emu.endpoints.bedrockRuntime, region, credentials, maxAttempts: 1 });
const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: Error) => e);

async function listed(region: string) {
  const { modelSummaries = [] } = await bedrock(region).send(new ListFoundationModelsCommand({}));
  return new Map(modelSummaries.map((s) => [s.modelId!, s]));
}

async function profileIds(region: string) {
  const { inferenceProfileSummaries = [] } = await bedrock(region).send(new ListInferenceProfilesCommand({ typeEquals: 'SYSTEM_DEFINED' }));
  return new Map(inferenceProfileSummaries.map((p) => [p.inferenceProfileId!, p]));
}

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu?.stop());

describe('ListFoundationModels shows the current catalogue', () => {
  it('in us-east-1: current Claude models profile-only, Nova 2 Lite, Nova Multimodal Embeddings and gpt-oss', async () => {
    const models = await listed('us-east-1');
    for (const id of [
      SONNET_45,
      'anthropic.claude-sonnet-4-20250514-v1:0',
      'anthropic.claude-sonnet-4-6',
      'anthropic.claude-haiku-4-5-20251001-v1:0',
      'anthropic.claude-opus-4-20250514-v1:0',
      'anthropic.claude-opus-4-1-20250805-v1:0',
      'anthropic.claude-opus-4-5-20251101-v1:0',
      'anthropic.claude-opus-4-6-v1',
      'anthropic.claude-opus-4-7',
      'anthropic.claude-sonnet-5',
      'anthropic.claude-opus-5',
      'amazon.nova-2-lite-v1:0',
      'amazon.nova-premier-v1:0',
    ]) {
      expect(models.get(id)?.inferenceTypesSupported, id).toEqual(['INFERENCE_PROFILE']);
    }
    expect(models.get('openai.gpt-oss-20b-1:0')?.inferenceTypesSupported).toEqual(['ON_DEMAND']);
    expect(models.get('openai.gpt-oss-120b-1:0')?.inferenceTypesSupported).toEqual(['ON_DEMAND']);
    expect(models.get('amazon.nova-2-multimodal-embeddings-v1:0')).toMatchObject({ outputModalities: ['EMBEDDING'], responseStreamingSupported: false });
    expect(models.get(SONNET_45)).toMatchObject({ modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${SONNET_45}`, providerName: 'Anthropic' });
    // The seed models stay.
    expect(models.get('anthropic.claude-3-haiku-20240307-v1:0')?.inferenceTypesSupported).toContain('ON_DEMAND');
  });

  it('in eu-north-1 (no model before the 2026 catalogue): the global Claude models', async () => {
    const models = await listed('eu-north-1');
    expect(models.size).toBeGreaterThan(0);
    for (const id of [SONNET_45, 'anthropic.claude-haiku-4-5-20251001-v1:0', 'anthropic.claude-opus-4-5-20251101-v1:0']) expect(models.has(id), id).toBe(true);
    const got = await bedrock('eu-north-1').send(new GetFoundationModelCommand({ modelIdentifier: SONNET_45 }));
    expect(got.modelDetails?.modelArn).toBe(`arn:aws:bedrock:eu-north-1::foundation-model/${SONNET_45}`);
  });

  it('Claude Opus 4.1 (us. only, no global profile) is not listed in eu-west-1; Sonnet 4.5 is', async () => {
    const models = await listed('eu-west-1');
    expect(models.has('anthropic.claude-opus-4-1-20250805-v1:0')).toBe(false);
    expect(models.has(SONNET_45)).toBe(true);
  });
});

describe('ListInferenceProfiles shows each geography from its own source regions', () => {
  it('us-east-1: us. and global. profiles, none of other geographies', async () => {
    const ids = await profileIds('us-east-1');
    for (const id of [`us.${SONNET_45}`, `global.${SONNET_45}`, 'global.anthropic.claude-opus-5', 'us.anthropic.claude-opus-4-1-20250805-v1:0', 'us.amazon.nova-2-lite-v1:0', 'global.amazon.nova-2-lite-v1:0', 'us.meta.llama4-scout-17b-instruct-v1:0', 'us.deepseek.r1-v1:0']) {
      expect(ids.has(id), id).toBe(true);
    }
    expect([...ids.keys()].filter((id) => !/^(us|global)\./.test(id))).toEqual([]);
    // A US profile routes to US regions only; a global one to commercial regions of every geography.
    const us = ids.get(`us.${SONNET_45}`)!.models!.map((m) => m.modelArn!.split(':')[3]);
    expect(us.every((r) => r.startsWith('us-'))).toBe(true);
    const global = new Set(ids.get(`global.${SONNET_45}`)!.models!.map((m) => m.modelArn!.split(':')[3]));
    for (const r of ['us-east-1', 'eu-north-1', 'ap-northeast-1', 'sa-east-1']) expect(global.has(r), r).toBe(true);
    expect([...global].some((r) => r.startsWith('us-gov-'))).toBe(false);
  });

  it('eu-west-1: eu. and global.; ap-northeast-1: jp. and apac.', async () => {
    const eu = await profileIds('eu-west-1');
    expect(eu.has(`eu.${SONNET_45}`)).toBe(true);
    expect(eu.has(`global.${SONNET_45}`)).toBe(true);
    expect(eu.has(`us.${SONNET_45}`)).toBe(false);
    const tokyo = await profileIds('ap-northeast-1');
    expect(tokyo.has(`jp.${SONNET_45}`)).toBe(true);
    expect(tokyo.has('apac.anthropic.claude-sonnet-4-20250514-v1:0')).toBe(true);
    // Claude's table: Sonnet 4.5 has no apac. profile.
    expect(tokyo.has(`apac.${SONNET_45}`)).toBe(false);
  });
});

describe('a current Claude through its profiles', () => {
  it.each([`us.${SONNET_45}`, `global.${SONNET_45}`])('Converse and InvokeModel answer through %s', async (profile) => {
    const client = runtime('us-east-1');
    const conversed = await client.send(new ConverseCommand({ modelId: profile, messages: [{ role: 'user', content: [{ text: 'Name a colour.' }] }] }));
    expect(conversed.output?.message?.content?.[0]?.text).toBeTruthy();
    const invoked = await client.send(new InvokeModelCommand({ modelId: profile, body: JSON.stringify(claude('Name a colour.')) }));
    const body = JSON.parse(new TextDecoder().decode(invoked.body));
    expect(body).toMatchObject({ type: 'message', role: 'assistant' });
  });

  it('the global profile also answers from eu-north-1', async () => {
    const out = await runtime('eu-north-1').send(new ConverseCommand({ modelId: `global.${SONNET_45}`, messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }));
    expect(out.stopReason).toBeTruthy();
  });

  it('the bare id of the profile-only model answers AWS’s on-demand message on Converse and InvokeModel', async () => {
    const client = runtime('us-east-1');
    const conversed = await errorOf(client.send(new ConverseCommand({ modelId: SONNET_45, messages: [{ role: 'user', content: [{ text: 'Hi' }] }] })));
    expect(conversed).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(ON_DEMAND_REFUSED) });
    const invoked = await errorOf(client.send(new InvokeModelCommand({ modelId: SONNET_45, body: JSON.stringify(claude('Hi')) })));
    expect(invoked).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(ON_DEMAND_REFUSED) });
  });

  it.each([`us.${SONNET_45}`, `global.${SONNET_45}`])('a 100-record batch job completes through %s', async (profile) => {
    const records = Array.from({ length: 100 }, (_, i) => ({ recordId: `r${String(i).padStart(3, '0')}`, modelInput: claude(`Question ${i}`) }));
    const name = profile.split('.')[0];
    const key = `in/${name}.jsonl`;
    await putJsonl(emu.clients.s3, 'catalogue-in', key, records);
    await putJsonl(emu.clients.s3, 'catalogue-out', 'keep', []);
    const client = bedrock('us-east-1');
    const { jobArn } = await client.send(
      new CreateModelInvocationJobCommand({
        jobName: `batch-${name}`,
        roleArn: ROLE,
        modelId: profile,
        inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://catalogue-in/${key}` } },
        outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://catalogue-out/results/' } },
      }),
    );
    const job = await waitFor(client, jobArn!);
    // A job made with a system profile id reads back with the profile's ARN (issue #17; AWS's Get answers it so).
    expect(job).toMatchObject({ status: 'Completed', modelId: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/${profile}`, totalRecordCount: 100, successRecordCount: 100, errorRecordCount: 0 });
    const out = (await readText(emu.clients.s3, 'catalogue-out', `results/${jobArn!.split('/').pop()}/${name}.jsonl.out`)).trim().split('\n');
    expect(out).toHaveLength(100);
    expect(JSON.parse(out[0]).modelOutput).toMatchObject({ type: 'message' });
  });

  it('batch refuses the bare id of a model AWS runs in batch only through a profile', async () => {
    const err = await errorOf(
      bedrock('us-east-1').send(
        new CreateModelInvocationJobCommand({
          jobName: 'bare',
          roleArn: ROLE,
          modelId: SONNET_45,
          inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://catalogue-in/in/' } },
          outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://catalogue-out/results/' } },
        }),
      ),
    );
    expect(err).toMatchObject({ name: 'ValidationException', message: expect.stringContaining(`us.${SONNET_45}`) });
  });
});

describe('an id the catalogue lacks', () => {
  it('answers AWS’s wording, and the log says once how to add it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const client = runtime('us-east-1');
      for (let i = 0; i < 3; i++) {
        const err = await errorOf(client.send(new InvokeModelCommand({ modelId: 'acme.imaginary-model-v9:0', body: '{}' })));
        expect(err).toMatchObject({ name: 'ValidationException', message: 'The provided model identifier is invalid.' });
      }
      const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('acme.imaginary-model-v9:0'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/not in the emulator's catalogue.*--catalog/);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('the data files', () => {
  const dir = new URL('../../src/registry/data/', import.meta.url);
  it('give every row a source and the date it was read', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['families.json', 'geographies.json', 'model-features.json', 'models.json', 'profiles.json', 'regions.json']);
    // The features table gives a source per field (column) and one date for the whole table.
    const features = JSON.parse(readFileSync(new URL('model-features.json', dir), 'utf8'));
    for (const s of Object.values(features.sources)) expect(s).toMatch(/^https:\/\//);
    expect(features.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const f of files.filter((f) => f !== 'model-features.json')) {
      for (const row of JSON.parse(readFileSync(new URL(f, dir), 'utf8')).rows) {
        expect([row.source].flat().length, `${f} ${row.id ?? row.prefix ?? row.pattern}`).toBeGreaterThan(0);
        for (const s of [row.source].flat()) expect(s).toMatch(/^(https:\/\/|seed:)/);
        expect(row.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
  });

  it('name only the body families the fake models implement or the brief assigns', () => {
    const families = new Set(listModels().map((m) => m.family));
    const agreed = ['anthropic-messages', 'anthropic-text', 'titan-text', 'titan-embed-text-v1', 'titan-embed-text-v2', 'titan-embed-image', 'titan-image',
      'nova', 'nova-embed', 'llama', 'mistral-prompt', 'mistral-chat', 'cohere-command', 'cohere-command-r', 'cohere-embed', 'cohere-embed-v4',
      'ai21-j2', 'ai21-jamba', 'stability-sdxl', 'openai-chat', 'deepseek-r1'];
    expect([...families].filter((f) => !agreed.includes(f))).toEqual([]);
  });
});

describe('batch support per the AWS batch table (single-region id and/or profile)', () => {
  const batch = (id: string, region: string) => resolveModel(id, region, 'batch').ok;
  it.each([
    ['us.anthropic.claude-opus-4-1-20250805-v1:0', 'us-east-1', false], // Opus 4.1: no batch
    [`us.${SONNET_45}`, 'us-west-2', true],
    [`global.${SONNET_45}`, 'eu-west-1', true], // global CRIS supports batch
    [`eu.${SONNET_45}`, 'eu-west-1', true],
    [SONNET_45, 'us-east-1', false], // profile only
    ['us.amazon.nova-premier-v1:0', 'us-east-2', true],
    ['amazon.nova-2-lite-v1:0', 'us-east-1', false],
    ['global.amazon.nova-2-lite-v1:0', 'us-east-1', true],
    ['amazon.nova-2-multimodal-embeddings-v1:0', 'us-east-1', true],
    ['openai.gpt-oss-20b-1:0', 'us-west-2', true],
    ['us.deepseek.r1-v1:0', 'us-east-1', false], // DeepSeek-R1: no batch
  ] as const)('%s in %s: %s', (id, region, ok) => expect(batch(id, region)).toBe(ok));

  it('Llama 4 Scout’s own minimum of 50 records per job applies (the default minimum is 100)', async () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ recordId: `s${i}`, modelInput: { prompt: `Question ${i}`, max_gen_len: 16 } }));
    await putJsonl(emu.clients.s3, 'catalogue-in', 'scout.jsonl', records);
    await putJsonl(emu.clients.s3, 'catalogue-out', 'keep', []);
    const client = bedrock('us-east-1');
    const { jobArn } = await client.send(
      new CreateModelInvocationJobCommand({
        jobName: 'scout',
        roleArn: ROLE,
        modelId: 'us.meta.llama4-scout-17b-instruct-v1:0',
        inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://catalogue-in/scout.jsonl' } },
        outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://catalogue-out/scout/' } },
      }),
    );
    expect(await waitFor(client, jobArn!)).toMatchObject({ status: 'Completed', successRecordCount: 50 });
  });
});
