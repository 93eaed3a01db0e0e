// A batch Converse record's modelOutput is a Converse response (user guide "Process multiple prompts with batch
// inference": modelInvocationType Converse; the service model's ConverseResponse: output, stopReason, usage and
// metrics.latencyMs are required). The README's choice where AWS is silent: batch records do not use the prompt cache,
// so a record's cachePoints are answered with 0 cache tokens.
import { CreateModelInvocationJobCommand } from '@aws-sdk/client-bedrock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putJsonl, readText, ROLE, startEmulatorForTest, waitFor } from '../jobs/helpers.js';

let env: Awaited<ReturnType<typeof startEmulatorForTest>>;
beforeAll(async () => {
  env = await startEmulatorForTest({ quotas: { minRecordsPerJob: 1 } });
});
afterAll(() => env.cleanup());

describe('batch Converse records', () => {
  it('answer a full Converse response, and cachePoints with no cache tokens', async () => {
    const long = 'abc '.repeat(1100); // 1,100 tokens: above Claude 3.7 Sonnet's 1,024-token checkpoint minimum
    const records = [
      { recordId: 'cached', modelInput: { system: [{ text: long }, { cachePoint: { type: 'default' } }], messages: [{ role: 'user', content: [{ text: 'Why?' }] }] } },
      { recordId: 'plain', modelInput: { messages: [{ role: 'user', content: [{ text: 'Hello' }] }] } },
    ];
    await putJsonl(env.s3, 'rules-converse-in', 'records.jsonl', records);
    await putJsonl(env.s3, 'rules-converse-out', 'keep', []);
    const { jobArn } = await env.bedrock.send(new CreateModelInvocationJobCommand({
      jobName: 'rules-converse-batch', roleArn: ROLE, modelId: 'anthropic.claude-3-7-sonnet-20250219-v1:0', modelInvocationType: 'Converse',
      inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://rules-converse-in/records.jsonl' } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://rules-converse-out/' } },
    }));
    expect((await waitFor(env.bedrock, jobArn!)).status).toBe('Completed');
    const lines = (await readText(env.s3, 'rules-converse-out', `${jobArn!.split('/').pop()}/records.jsonl.out`)).trim().split('\n').map((l) => JSON.parse(l));
    const byId = new Map(lines.map((l) => [l.recordId, l]));
    for (const id of ['cached', 'plain']) {
      const { modelOutput } = byId.get(id);
      expect(modelOutput.output.message.role, id).toBe('assistant');
      expect(modelOutput.stopReason, id).toBeTypeOf('string');
      expect(modelOutput.metrics.latencyMs, id).toBeTypeOf('number');
      expect(modelOutput.usage.totalTokens, id).toBe(modelOutput.usage.inputTokens + modelOutput.usage.outputTokens);
    }
    expect(byId.get('cached').modelOutput.usage).toMatchObject({ inputTokens: 1101, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 });
  });
});
