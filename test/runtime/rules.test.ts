// Runtime rules a user's code runs into, each stated from AWS's documentation in the test:
// - runtime quotas: "requests per minute" and "tokens per minute" per model (quotas.html); over either, the
//   runtime answers 429 ThrottlingException (the service model's InvokeModel/Converse errors);
// - Converse features per model (conversation-inference-supported-models-features.html): Llama 3.1 Instruct
//   takes tool use, Llama 3 Instruct does not;
// - Claude 3.7 Sonnet's maximum output: 64,000 tokens (model-parameters-anthropic-claude-messages.html and
//   Anthropic's models overview);
// - CountTokens counts the tokens the request would be billed for, system prompt included (count-tokens.html).
import { BedrockRuntimeClient, ConverseCommand, CountTokensCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/emulator/config.js';
import { startServer, type RunningEmulator } from '../../src/emulator/server.js';

let server: RunningEmulator;
const dir = mkdtempSync(join(tmpdir(), 'bbe-rules-'));
beforeAll(async () => {
  server = await startServer({ ...DEFAULT_CONFIG, port: 0, s3Port: 0, dataDir: dir });
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const client = (region = 'us-east-1') =>
  new BedrockRuntimeClient({ endpoint: server.endpoint, region, maxAttempts: 1, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const admin = (path: string, body: unknown) =>
  fetch(`${server.endpoint}/_emulator/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('runtime quotas (AWS: tokens per minute and requests per minute per model)', () => {
  it('throttles a request that would take the tokens of the minute over the quota, with requests to spare', async () => {
    const modelId = 'amazon.titan-embed-text-v2:0';
    // 400 characters is 100 tokens by the emulator's documented approximation (4 characters a token).
    const body = json({ inputText: 'x'.repeat(400) });
    await admin('config', { runtime: { quotas: { [modelId]: { requestsPerMinute: 100, tokensPerMinute: 150 } } } });
    try {
      expect((await client().send(new InvokeModelCommand({ modelId, body }))).$metadata.httpStatusCode).toBe(200);
      const err = await client().send(new InvokeModelCommand({ modelId, body })).catch((e) => e);
      expect(err.name).toBe('ThrottlingException');
      expect(err.$metadata.httpStatusCode).toBe(429);
      await admin('clock/advance', { advanceMs: 60_000 });
      expect((await client().send(new InvokeModelCommand({ modelId, body }))).$metadata.httpStatusCode).toBe(200);
    } finally {
      await admin('config', { runtime: { quotas: {} } });
    }
  });
});

const weatherTool = {
  tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } } }],
};
const hi = [{ role: 'user' as const, content: [{ text: 'What is the weather in Paris?' }] }];

describe('Converse tool use per model (AWS: Converse supported models and model features)', () => {
  it('takes tool use on Llama 3.1 70B Instruct', async () => {
    const out = await client('us-west-2').send(new ConverseCommand({ modelId: 'meta.llama3-1-70b-instruct-v1:0', messages: hi, toolConfig: weatherTool }));
    expect(out.output?.message?.role).toBe('assistant');
  });

  it('refuses tool use on Llama 3 8B Instruct', async () => {
    const err = await client().send(new ConverseCommand({ modelId: 'meta.llama3-8b-instruct-v1:0', messages: hi, toolConfig: weatherTool })).catch((e) => e);
    expect(err.name).toBe('ValidationException');
    expect(err.message).toMatch(/doesn't support tool use/);
  });
});

describe("Claude 3.7 Sonnet's output ceiling: 64,000 tokens (AWS: Anthropic Claude Messages API parameters)", () => {
  const modelId = 'us.anthropic.claude-3-7-sonnet-20250219-v1:0';
  const invoke = (max_tokens: number) =>
    client().send(new InvokeModelCommand({ modelId, body: json({ anthropic_version: 'bedrock-2023-05-31', max_tokens, messages: [{ role: 'user', content: 'Hi' }] }) }));

  it('accepts max_tokens 64000 and refuses 64001 on InvokeModel', async () => {
    expect((await invoke(64_000)).$metadata.httpStatusCode).toBe(200);
    const err = await invoke(64_001).catch((e) => e);
    expect(err.name).toBe('ValidationException');
    expect(err.message).toContain('64000');
  });

  it('accepts maxTokens 64000 and refuses 64001 on Converse', async () => {
    const converse = (maxTokens: number) => client().send(new ConverseCommand({ modelId, messages: hi, inferenceConfig: { maxTokens } }));
    expect((await converse(64_000)).$metadata.httpStatusCode).toBe(200);
    const err = await converse(64_001).catch((e) => e);
    expect(err.name).toBe('ValidationException');
  });
});

describe('CountTokens (AWS: count-tokens.html)', () => {
  it('counts the system prompt of a Converse request', async () => {
    const modelId = 'anthropic.claude-3-haiku-20240307-v1:0';
    const count = async (system?: { text: string }[]) =>
      (await client().send(new CountTokensCommand({ modelId, input: { converse: { messages: hi, ...(system ? { system } : {}) } } }))).inputTokens!;
    const without = await count();
    // 400 characters of system prompt: 100 tokens by the documented approximation.
    expect(await count([{ text: 's'.repeat(400) }])).toBe(without + 100);
  });

  it('counts the system prompt of an InvokeModel body', async () => {
    const modelId = 'anthropic.claude-3-haiku-20240307-v1:0';
    const count = async (system?: string) =>
      (
        await client().send(
          new CountTokensCommand({
            modelId,
            input: { invokeModel: { body: json({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }], ...(system ? { system } : {}) }) } },
          }),
        )
      ).inputTokens!;
    expect(await count('s'.repeat(400))).toBeGreaterThanOrEqual((await count()) + 100);
  });
});
