// CountTokens (AWS: count-tokens.html and the service model): "Token counting is model-specific"; the models that
// support it are Anthropic Claude models; others answer ValidationException. The input is either an InvokeModel
// body (a blob) or a Converse request; a body that is not JSON answers ValidationException. Counts follow the
// emulator's documented approximation (README): one token per 4 characters of text, rounded up.
import { BedrockRuntimeClient, CountTokensCommand } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { emulatorPerFile } from '../jobs/helpers.js';

const emu = emulatorPerFile({ timing: 'fast' });

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const client = () => new BedrockRuntimeClient({ endpoint: emu.server.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
const bytes = (s: string) => new TextEncoder().encode(s);
const count = (modelId: string, input: ConstructorParameters<typeof CountTokensCommand>[0]['input']) =>
  client().send(new CountTokensCommand({ modelId, input })).then((r) => r.inputTokens!, (e: Error) => e);

describe('CountTokens', () => {
  it('refuses a model that is not a Claude model, with ValidationException', async () => {
    for (const modelId of ['amazon.titan-embed-text-v2:0', 'meta.llama3-8b-instruct-v1:0']) {
      const answer = await count(modelId, { converse: { messages: [{ role: 'user', content: [{ text: 'hi' }] }] } });
      expect(answer, modelId).toMatchObject({ name: 'ValidationException', message: "The provided model doesn't support counting tokens." });
    }
  });
  it('refuses an InvokeModel body that is not JSON, with ValidationException', async () => {
    const answer = await count(HAIKU, { invokeModel: { body: bytes('{"messages": [') } });
    expect(answer).toMatchObject({ name: 'ValidationException', message: 'Malformed input request, please reformat your input and try again.' });
  });
  it('counts the text of an InvokeModel body and of a Converse request the same way', async () => {
    const text = 'q'.repeat(400); // 100 tokens
    const viaInvoke = await count(HAIKU, {
      invokeModel: { body: bytes(JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: text }] })) },
    });
    const viaConverse = await count(HAIKU, { converse: { messages: [{ role: 'user', content: [{ text }] }] } });
    expect(viaConverse).toBeGreaterThanOrEqual(100);
    expect(viaInvoke).toBeGreaterThanOrEqual(100);
    const longer = await count(HAIKU, { converse: { messages: [{ role: 'user', content: [{ text: text + 'q'.repeat(400) }] }] } });
    expect(longer).toBe((viaConverse as number) + 100);
  });
});
