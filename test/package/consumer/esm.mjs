// Plain Node, ES modules: every export loads and works without a TypeScript loader.
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { parseJsonl, toJsonl } from 'bedrock-batch-emulator/client';
import { startEmulator } from 'bedrock-batch-emulator/harness';
import { bedrockHandlers } from 'bedrock-batch-emulator/msw';
import assert from 'node:assert/strict';

const emulator = await startEmulator();
try {
  const reply = await emulator.clients.bedrockRuntime.send(
    new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }),
  );
  assert.equal(reply.output?.message?.role, 'assistant');
  assert.equal(bedrockHandlers(emulator).length, 2);
  assert.deepEqual(parseJsonl(toJsonl([{ recordId: 'a', modelInput: {} }])), [{ recordId: 'a', modelInput: {} }]);
  await emulator.reset();
} finally {
  await emulator.stop();
}
console.log('esm ok');
