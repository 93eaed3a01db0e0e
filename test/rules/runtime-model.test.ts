// What a runtime modelId resolves to, request after request: AWS answers per region (a model served in us-east-1
// is "The provided model identifier is invalid." where it is not offered), and an application inference profile,
// once deleted (DeleteInferenceProfile), is not found (ResourceNotFoundException) — the emulator may remember what a
// plain id resolved to, never what an ARN did.
import { BedrockClient, CreateInferenceProfileCommand, DeleteInferenceProfileCommand } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { emulatorPerFile } from '../jobs/helpers.js';

const emu = emulatorPerFile({ timing: 'fast' });

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
const runtime = (region = 'us-east-1') => new BedrockRuntimeClient({ endpoint: emu.server.endpoint, region, maxAttempts: 1, credentials });
const converse = (modelId: string, region = 'us-east-1') =>
  runtime(region).send(new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'hi' }] }] })).then(() => 'ok', (e: Error) => e);

describe('runtime model resolution', () => {
  it('answers per region, even for an id that already worked in another region', async () => {
    expect(await converse(HAIKU)).toBe('ok');
    expect(await converse(HAIKU, 'af-south-1')).toMatchObject({ name: 'ValidationException' });
    expect(await converse(HAIKU)).toBe('ok');
  });
  it('finds a deleted application inference profile no more', async () => {
    const bedrock = new BedrockClient({ endpoint: emu.server.endpoint, region: 'us-east-1', maxAttempts: 1, credentials });
    const { inferenceProfileArn } = await bedrock.send(new CreateInferenceProfileCommand({
      inferenceProfileName: 'rm-profile', modelSource: { copyFrom: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}` },
    }));
    expect(await converse(inferenceProfileArn!)).toBe('ok');
    await bedrock.send(new DeleteInferenceProfileCommand({ inferenceProfileIdentifier: inferenceProfileArn! }));
    expect(await converse(inferenceProfileArn!)).toMatchObject({ name: 'ResourceNotFoundException' });
  });
  it("answers AWS's message for a model served on demand only through an inference profile (Claude 3.7 Sonnet)", async () => {
    const err = await converse('anthropic.claude-3-7-sonnet-20250219-v1:0');
    expect(err).toMatchObject({ name: 'ValidationException' });
    expect((err as Error).message).toContain('with on-demand throughput isn’t supported');
  });
});
