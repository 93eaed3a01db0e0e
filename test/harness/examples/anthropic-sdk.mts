import Anthropic from '@anthropic-ai/sdk';
import { startEmulator } from 'bedrock-batch-emulator/harness';

const emulator = await startEmulator();
try {
  // AWS's Messages quickstart with ANTHROPIC_BASE_URL (https://bedrock-runtime.<region>.amazonaws.com/anthropic) swapped.
  const client = new Anthropic({ baseURL: emulator.anthropicBaseURL, apiKey: 'any Bedrock API key' });
  const message = await client.messages.create({
    model: 'global.anthropic.claude-opus-5',
    max_tokens: 1000,
    messages: [{ role: 'user', content: 'Hello, world' }],
  });
  console.log(message.content);

  // The SSE stream: message_start, content_block_start/delta/stop, message_delta (stop_reason, usage), message_stop.
  const final = await client.messages.stream({ model: 'global.anthropic.claude-opus-5', max_tokens: 1000, messages: [{ role: 'user', content: 'Hello, world' }] }).finalMessage();
  console.log(final.stop_reason, final.usage.output_tokens);
} finally {
  await emulator.stop();
}
