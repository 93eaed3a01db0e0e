// A user's own catalogue: files in the shape `aws bedrock list-foundation-models` and `aws bedrock
// list-inference-profiles` print (fixtures/catalog/, written from the service model's FoundationModelSummary and
// InferenceProfileSummary shapes), loaded with `catalog`, then served like built-in models: listed, invoked, batched.
import { BedrockClient, CreateModelInvocationJobCommand, GetFoundationModelCommand, GetInferenceProfileCommand, ListFoundationModelsCommand, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/emulator/config.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';
import { putJsonl, readText, ROLE, waitFor } from '../jobs/helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/catalog/${name}`, import.meta.url));
const FILES = [fixture('list-foundation-models.us-east-1.json'), fixture('list-foundation-models.eu-south-2.json'), fixture('list-inference-profiles.us-east-1.json')];
const MAGISTRAL = 'mistral.magistral-small-2509';
const PALMYRA = 'writer.palmyra-x5-v1:0';

let emu: EmulatorHandle;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const bedrock = (region: string) => new BedrockClient({ endpoint: emu.endpoints.bedrock, region, credentials, maxAttempts: 1 });
const runtime = (region: string) => new BedrockRuntimeClient({ endpoint: emu.endpoints.bedrockRuntime, region, credentials, maxAttempts: 1 });
const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: Error) => e);
const ids = async (region: string) => ((await bedrock(region).send(new ListFoundationModelsCommand({}))).modelSummaries ?? []).map((s) => s.modelId!);

let warnings: string[] = [];
beforeAll(async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    emu = await startEmulator({ catalog: FILES });
    warnings = warn.mock.calls.map((c) => String(c[0]));
  } finally {
    warn.mockRestore();
  }
});
afterAll(() => emu?.stop());

describe('--catalog with AWS CLI output', () => {
  it('logs one line: what was loaded, the application profile skipped, the family no fake model answers', () => {
    const line = warnings.find((w) => w.includes('list-inference-profiles.us-east-1.json'));
    expect(line).toMatch(/1 application profiles skipped/);
    expect(line).toMatch(/no fake model for the body families [^;]*\bwriter\b/);
  });

  it('lists a model of the files in the regions their ARNs name, and only there', async () => {
    expect(await ids('us-east-1')).toContain(MAGISTRAL);
    expect(await ids('eu-south-2')).toContain(MAGISTRAL);
    expect(await ids('ap-south-1')).not.toContain(MAGISTRAL);
    const got = await bedrock('eu-south-2').send(new GetFoundationModelCommand({ modelIdentifier: MAGISTRAL }));
    expect(got.modelDetails).toMatchObject({
      modelArn: `arn:aws:bedrock:eu-south-2::foundation-model/${MAGISTRAL}`,
      modelName: 'Magistral Small 1.2',
      providerName: 'Mistral AI',
      inputModalities: ['TEXT', 'IMAGE'],
      inferenceTypesSupported: ['ON_DEMAND'],
    });
    // Its Provisioned Throughput variant is listed beside it, PROVISIONED only.
    const summaries = (await bedrock('us-east-1').send(new ListFoundationModelsCommand({ byProvider: 'mistral ai' }))).modelSummaries ?? [];
    expect(summaries.find((s) => s.modelId === `${MAGISTRAL}:0:32k`)?.inferenceTypesSupported).toEqual(['PROVISIONED']);
  });

  it('adds a region the built-in data does not list for a known model (Claude 3 Haiku in eu-south-2)', async () => {
    expect(await ids('eu-south-2')).toContain('anthropic.claude-3-haiku-20240307-v1:0');
    const out = await runtime('eu-south-2').send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }));
    expect(out.output?.message?.role).toBe('assistant');
  });

  it('answers a model of a known provider with its family’s fake model (Mistral chat), on demand', async () => {
    const client = runtime('us-east-1');
    const conversed = await client.send(new ConverseCommand({ modelId: MAGISTRAL, messages: [{ role: 'user', content: [{ text: 'One word.' }] }] }));
    expect(conversed.output?.message?.content?.[0]?.text).toBeTruthy();
    const invoked = await client.send(new InvokeModelCommand({ modelId: MAGISTRAL, body: JSON.stringify({ messages: [{ role: 'user', content: 'One word.' }], max_tokens: 20 }) }));
    expect(JSON.parse(new TextDecoder().decode(invoked.body)).choices[0].message.role).toBe('assistant');
  });

  it('runs a 100-record batch job on it', async () => {
    const records = Array.from({ length: 100 }, (_, i) => ({ recordId: `m${String(i).padStart(3, '0')}`, modelInput: { messages: [{ role: 'user', content: `Item ${i}` }], max_tokens: 16 } }));
    await putJsonl(emu.clients.s3, 'catalog-in', 'magistral.jsonl', records);
    await putJsonl(emu.clients.s3, 'catalog-out', 'keep', []);
    const client = bedrock('us-east-1');
    const { jobArn } = await client.send(
      new CreateModelInvocationJobCommand({
        jobName: 'magistral',
        roleArn: ROLE,
        modelId: MAGISTRAL,
        inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://catalog-in/magistral.jsonl' } },
        outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://catalog-out/out/' } },
      }),
    );
    expect(await waitFor(client, jobArn!)).toMatchObject({ status: 'Completed', successRecordCount: 100 });
    const lines = (await readText(emu.clients.s3, 'catalog-out', `out/${jobArn!.split('/').pop()}/magistral.jsonl.out`)).trim().split('\n');
    expect(JSON.parse(lines[99]).modelOutput.choices).toHaveLength(1);
  });

  it('serves the files’ system profiles from their source region, with the captured destinations', async () => {
    const { inferenceProfileSummaries = [] } = await bedrock('us-east-1').send(new ListInferenceProfilesCommand({ typeEquals: 'SYSTEM_DEFINED' }));
    const palmyra = inferenceProfileSummaries.find((p) => p.inferenceProfileId === `us.${PALMYRA}`);
    expect(palmyra).toMatchObject({
      inferenceProfileName: 'US Writer Palmyra X5',
      inferenceProfileArn: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${PALMYRA}`,
      models: ['us-east-1', 'us-east-2', 'us-west-2'].map((r) => ({ modelArn: `arn:aws:bedrock:${r}::foundation-model/${PALMYRA}` })),
    });
    const haiku = await bedrock('us-east-1').send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'us.anthropic.claude-haiku-4-5-20251001-v1:0' }));
    expect(haiku.models?.map((m) => m.modelArn!.split(':')[3])).toEqual(['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2']);
    // The application profile of the captured account is not a system profile here.
    expect(inferenceProfileSummaries.some((p) => p.inferenceProfileId === 'a1b2c3d4e5f6')).toBe(false);
  });

  it('lists a model of a provider no fake model answers, and refuses it naming the missing family', async () => {
    const listed = (await bedrock('us-east-1').send(new ListFoundationModelsCommand({ byProvider: 'Writer' }))).modelSummaries ?? [];
    expect(listed.map((s) => [s.modelId, s.inferenceTypesSupported])).toEqual([[PALMYRA, ['INFERENCE_PROFILE']]]);
    const client = runtime('us-east-1');
    const viaProfile = await errorOf(client.send(new ConverseCommand({ modelId: `us.${PALMYRA}`, messages: [{ role: 'user', content: [{ text: 'Hi' }] }] })));
    expect(viaProfile).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/no fake model for writer\.palmyra-x5-v1:0: its request body family 'writer'/) });
    // Its bare id is profile-only, as the file says.
    const bare = await errorOf(client.send(new InvokeModelCommand({ modelId: PALMYRA, body: '{}' })));
    expect(bare).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/^Invocation of model ID writer\.palmyra-x5-v1:0 with on-demand throughput isn’t supported/) });
  });
});

describe('catalog configuration', () => {
  it('takes the same key from flags (comma-separated), env and the config file', () => {
    expect(loadConfig(['--catalog', 'a.json,b.json']).catalog).toEqual(['a.json', 'b.json']);
    expect(loadConfig([], { BEDROCK_EMULATOR_CATALOG: 'c.json' }).catalog).toEqual(['c.json']);
    const dir = mkdtempSync(join(tmpdir(), 'bbe-catalog-'));
    try {
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ catalog: ['d.json', 'e.json'] }));
      expect(loadConfig(['--config', join(dir, 'config.json')]).catalog).toEqual(['d.json', 'e.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a file that is not AWS CLI output, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bbe-catalog-'));
    try {
      writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ models: [] }));
      await expect(startEmulator({ catalog: join(dir, 'wrong.json') })).rejects.toThrow(/--catalog .*wrong\.json: expected the JSON that `aws bedrock list-foundation-models`/);
      writeFileSync(join(dir, 'bad-arn.json'), JSON.stringify({ modelSummaries: [{ modelArn: 'not-an-arn', modelId: 'x' }] }));
      await expect(startEmulator({ catalog: join(dir, 'bad-arn.json') })).rejects.toThrow(/modelSummaries\[0\]\.modelArn must be a foundation-model ARN/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
