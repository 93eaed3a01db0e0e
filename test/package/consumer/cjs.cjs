// Plain Node, CommonJS: require() loads the ES module exports (Node >= 20.19, no top-level await in them).
const { ListFoundationModelsCommand } = require('@aws-sdk/client-bedrock');
const { runBatch } = require('bedrock-batch-emulator/client');
const { startEmulator } = require('bedrock-batch-emulator/harness');
const { inProcessClients } = require('bedrock-batch-emulator/msw');
const assert = require('node:assert/strict');

(async () => {
  assert.equal(typeof runBatch, 'function');
  assert.equal(typeof inProcessClients, 'function');
  const emulator = await startEmulator();
  try {
    const models = await emulator.clients.bedrock.send(new ListFoundationModelsCommand({}));
    assert.ok(models.modelSummaries.some((m) => m.modelId === 'amazon.titan-embed-text-v2:0'));
  } finally {
    await emulator.stop();
  }
  console.log('cjs ok');
})();
