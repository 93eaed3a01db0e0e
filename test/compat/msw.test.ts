// The compatible APIs through the msw handlers: the official SDKs pointed at AWS's own base URLs
// (`https://bedrock-runtime.{region}.amazonaws.com/openai/v1` and `…/anthropic`), answered in-process.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';
import { setupBedrockMsw } from '../../src/emulator/msw.js';

let emulator: EmulatorHandle;
let server: ReturnType<typeof setupBedrockMsw>;
const hosts: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  server = setupBedrockMsw(emulator);
  server.events.on('request:start', ({ request }) => void hosts.push(new URL(request.url).host));
  server.listen();
});
afterAll(async () => {
  server.close();
  await emulator.stop();
});

it("answers the OpenAI and Anthropic SDKs on AWS's base URLs, streams included", async () => {
  const openai = new OpenAI({ baseURL: 'https://bedrock-runtime.us-west-2.amazonaws.com/openai/v1', apiKey: 'bedrock-api-key-test', maxRetries: 0 });
  const completion = await openai.chat.completions.create({ model: 'openai.gpt-oss-20b-1:0', messages: [{ role: 'user', content: 'Hello!' }] });
  expect(completion.object).toBe('chat.completion');
  let streamed = '';
  for await (const chunk of await openai.chat.completions.create({ model: 'openai.gpt-oss-20b-1:0', messages: [{ role: 'user', content: 'Hello!' }], stream: true })) streamed += chunk.choices[0]?.delta.content ?? '';
  expect(streamed).toBe(completion.choices[0].message.content);

  const anthropic = new Anthropic({ baseURL: 'https://bedrock-runtime.us-east-1.amazonaws.com/anthropic', apiKey: 'bedrock-api-key-test', maxRetries: 0 });
  const message = await anthropic.messages.stream({ model: 'global.anthropic.claude-opus-5', max_tokens: 100, messages: [{ role: 'user', content: 'Hello, world' }] }).finalMessage();
  expect(message.type).toBe('message');
  expect(hosts).toContain('bedrock-runtime.us-west-2.amazonaws.com');
  expect(hosts).toContain('bedrock-runtime.us-east-1.amazonaws.com');
});
