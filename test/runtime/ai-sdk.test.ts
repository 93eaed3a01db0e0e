// The Vercel AI SDK's Bedrock provider (an independent client people use) against the emulator.
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, streamText } from 'ai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/emulator/config.js';
import { startServer, type RunningEmulator } from '../../src/emulator/server.js';

let server: RunningEmulator;
const dir = mkdtempSync(join(tmpdir(), 'bbe-aisdk-'));
beforeAll(async () => {
  server = await startServer({ ...DEFAULT_CONFIG, port: 0, s3Port: 0, dataDir: dir });
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const bedrock = () => createAmazonBedrock({ region: 'us-east-1', baseURL: server.endpoint, accessKeyId: 'AKID', secretAccessKey: 'secret' });

describe('Vercel AI SDK', () => {
  it('generateText', async () => {
    const out = await generateText({ model: bedrock()('anthropic.claude-3-haiku-20240307-v1:0'), prompt: 'Say hello', maxOutputTokens: 500 });
    expect(out.text.length).toBeGreaterThan(0);
    expect(out.usage.outputTokens).toBeGreaterThan(0);
    expect(out.finishReason).toBe('stop');
  });

  it('streamText', async () => {
    const result = streamText({ model: bedrock()('amazon.nova-micro-v1:0'), prompt: 'Tell me a story', maxOutputTokens: 500 });
    let text = '';
    for await (const part of result.textStream) text += part;
    expect(text.length).toBeGreaterThan(0);
    expect(await result.finishReason).toBe('stop');
  });
});
