// Per-model Converse features for current models (registry/data/model-features.json), checked on the fake model
// directly: these ids need not be in the built-in catalogue to have a features row. Expected values come from the
// AWS page each test names.
import { describe, expect, it } from 'vitest';
import { familyConverse as converse, familyConverseStream as converseStream, type ConverseRequest } from '../../src/fake-models/converse.js';
import { invokeModel } from '../../src/fake-models/index.js';
import { FeatureDenied, ModelRefusal } from '../../src/fake-models/errors.js';
import { PromptCache } from '../../src/fake-models/prompt-cache.js';
import { featuresOf } from '../../src/registry/index.js';

const ask = (text = 'Hi'): ConverseRequest => ({ messages: [{ role: 'user', content: [{ text }] }] });
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a refusal');
};

describe('Adaptive thinking page: Opus 4.7, Sonnet 5, Opus 5 take adaptive thinking only; Opus/Sonnet 4.6 take both', () => {
  it.each(['anthropic.claude-opus-4-7', 'anthropic.claude-sonnet-5', 'anthropic.claude-opus-5'])('%s refuses thinking.type enabled and answers adaptive', (id) => {
    const enabled = refusal(() => converse('anthropic-messages', id, { ...ask(), inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 2000 } } }));
    expect(enabled.message).toBe('The model returned the following errors: "thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.');
    const out = converse('anthropic-messages', id, { ...ask(), additionalModelRequestFields: { thinking: { type: 'adaptive' } } });
    expect(Object.keys(out.output.message.content[0])).toEqual(['reasoningContent']);
  });
  it.each(['anthropic.claude-opus-4-6-v1', 'anthropic.claude-sonnet-4-6'])('%s takes both', (id) => {
    for (const thinking of [{ type: 'adaptive' }, { type: 'enabled', budget_tokens: 1024 }]) {
      const out = converse('anthropic-messages', id, { ...ask(), inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: { thinking } });
      expect(out.output.message.content[0].reasoningContent).toBeDefined();
    }
  });
});

describe('Extended thinking page: supported models take budget_tokens thinking', () => {
  it.each([
    'anthropic.claude-sonnet-4-20250514-v1:0',
    'anthropic.claude-sonnet-4-5-20250929-v1:0',
    'anthropic.claude-haiku-4-5-20251001-v1:0',
    'anthropic.claude-opus-4-20250514-v1:0',
    'anthropic.claude-opus-4-1-20250805-v1:0',
    'anthropic.claude-opus-4-5-20251101-v1:0',
  ])('%s', (id) => {
    const out = converse('anthropic-messages', id, { ...ask(), inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } } });
    expect(out.output.message.content[0].reasoningContent).toBeDefined();
    const adaptive = refusal(() => converse('anthropic-messages', id, { ...ask(), additionalModelRequestFields: { thinking: { type: 'adaptive' } } }));
    expect(adaptive).toBeInstanceOf(ModelRefusal);
  });
});

describe("Anthropic's models overview (max output): per-model maxTokens ceilings", () => {
  it.each([
    ['anthropic.claude-opus-4-20250514-v1:0', 32000],
    ['anthropic.claude-sonnet-4-20250514-v1:0', 64000],
    ['anthropic.claude-haiku-4-5-20251001-v1:0', 64000],
    ['anthropic.claude-opus-4-6-v1', 128000],
  ] as const)('%s: %i', (id, limit) => {
    expect(converse('anthropic-messages', id, { ...ask(), inferenceConfig: { maxTokens: limit } }).stopReason).toBe('end_turn');
    expect(refusal(() => converse('anthropic-messages', id, { ...ask(), inferenceConfig: { maxTokens: limit + 1 } })).message).toContain(`model limit of ${limit}`);
  });
});

describe('Prompt caching page: minimum tokens per checkpoint and the 1-hour TTL per model', () => {
  const LONG = 'x'.repeat(4 * 4096);
  const cached = (id: string, ttl: '5m' | '1h', now: { t: number }, cache = new PromptCache(() => now.t).scoped('123456789012', 'us-east-1')) =>
    converse('anthropic-messages', id, { system: [{ text: LONG }, { cachePoint: { type: 'default', ttl } }], ...ask() }, { promptCache: cache });

  it('Claude Haiku 4.5: 4,096-token minimum, 1h TTL kept for an hour', () => {
    const now = { t: 0 };
    const cache = new PromptCache(() => now.t).scoped('123456789012', 'us-east-1');
    expect(cached('anthropic.claude-haiku-4-5-20251001-v1:0', '1h', now, cache).usage).toMatchObject({ cacheWriteInputTokens: 4096, cacheReadInputTokens: 0, cacheDetails: [{ ttl: '1h', inputTokens: 4096 }] });
    now.t += 59 * 60_000;
    expect(cached('anthropic.claude-haiku-4-5-20251001-v1:0', '1h', now, cache).usage.cacheReadInputTokens).toBe(4096);
  });
  it('Claude Opus 4.5 does not cache a 4,095-token prefix', () => {
    const out = converse('anthropic-messages', 'anthropic.claude-opus-4-5-20251101-v1:0', { system: [{ text: 'x'.repeat(4 * 4095) }, { cachePoint: { type: 'default' } }], ...ask() }, { promptCache: new PromptCache(() => 0).scoped('a', 'r') });
    expect(out.usage.cacheWriteInputTokens).toBe(0);
  });
  it('Amazon Nova Premier caches (1,000+ tokens), Llama 4 Scout refuses cachePoint', () => {
    const nova = converse('nova', 'amazon.nova-premier-v1:0', { system: [{ text: 'x'.repeat(4 * 1100) }, { cachePoint: { type: 'default' } }], ...ask() }, { promptCache: new PromptCache(() => 0).scoped('a', 'r') });
    expect(nova.usage.cacheWriteInputTokens).toBe(1100);
    const llama = refusal(() => converse('llama', 'meta.llama4-scout-17b-instruct-v1:0', { system: [{ text: 'x' }, { cachePoint: { type: 'default' } }], ...ask() }));
    expect(llama).toBeInstanceOf(FeatureDenied);
  });
});

describe('Converse supported-features table and structured-output page, current models', () => {
  const schema = JSON.stringify({ type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] });
  const structured = { ...ask(), outputConfig: { textFormat: { type: 'json_schema', structure: { jsonSchema: { name: 'a', schema } } } } };
  it('gpt-oss, Qwen3 and DeepSeek-V3 answer structured output; DeepSeek-R1 and Llama 4 do not take it', () => {
    for (const id of ['openai.gpt-oss-20b-1:0', 'openai.gpt-oss-120b-1:0', 'qwen.qwen3-32b-v1:0', 'deepseek.v3-v1:0']) {
      expect(JSON.parse(String(converse('llama', id, structured).output.message.content[0].text))).toHaveProperty('answer');
    }
    for (const id of ['deepseek.r1-v1:0', 'meta.llama4-maverick-17b-instruct-v1:0']) expect(refusal(() => converse('llama', id, structured)).message).toMatch(/structured output/);
  });
  it('Llama 4 Maverick and Pixtral Large take images; DeepSeek-R1 takes no tools', () => {
    const image = { messages: [{ role: 'user', content: [{ text: 'What is it?' }, { image: { format: 'png', source: { bytes: new Uint8Array([1]) } } }] }] };
    expect(converse('llama', 'meta.llama4-maverick-17b-instruct-v1:0', image).stopReason).toBeTruthy();
    expect(converse('mistral-chat', 'mistral.pixtral-large-2502-v1:0', image).stopReason).toBeTruthy();
    expect(refusal(() => converse('llama', 'deepseek.r1-v1:0', { ...ask(), toolConfig: { tools: [{ toolSpec: { name: 'f', inputSchema: { json: { type: 'object' } } } }] } })).message).toBe("This model doesn't support tool use.");
  });
  it('a model without a features row (an embedding model) is refused by Converse', () => {
    expect(refusal(() => converse('titan-embed-text-v2', 'amazon.titan-embed-text-v2:0', ask())).message).toBe("This action doesn't support the model that you provided. Try again with a supported text or chat model.");
  });
  it("a catalogue row's own features replace the table's row (a user's catalogue can carry them)", () => {
    const own = { ...featuresOf({ id: 'anthropic.claude-3-haiku-20240307-v1:0' })!, structuredOutput: true };
    expect(featuresOf({ id: 'anthropic.claude-3-haiku-20240307-v1:0', features: own })!.structuredOutput).toBe(true);
    expect(featuresOf({ id: 'anthropic.claude-3-haiku-20240307-v1:0' })!.structuredOutput).toBe(false);
    expect(featuresOf({ id: 'acme.unknown-model' })).toBeUndefined();
  });
});

describe('tool inputs read as words (the tool-use guide\'s get_weather example: a free-text `location`)', () => {
  it('a string member without pattern or format gets corpus words within its length limits', () => {
    const json = { type: 'object', properties: { location: { type: 'string', description: 'A city' }, code: { type: 'string', maxLength: 12 } }, required: ['location', 'code'] };
    for (let i = 0; i < 10; i++) {
      const out = converse('anthropic-messages', 'anthropic.claude-3-haiku-20240307-v1:0', { ...ask(`Weather ${i}?`), toolConfig: { tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json } } }], toolChoice: { any: {} } } });
      const input = out.output.message.content[0].toolUse!.input as { location: string; code: string };
      expect(input.location).toMatch(/^[A-Z][a-z]*( [a-z]+)*$/);
      expect(input.code.length).toBeLessThanOrEqual(12);
    }
  });
});

describe('ConverseStream with outputConfig.textFormat (structured-output page: Converse and ConverseStream)', () => {
  it('the text deltas join into JSON that has every required member', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' }, population: { type: 'integer', minimum: 0 } }, required: ['city', 'population'], additionalProperties: false };
    const { events } = converseStream('anthropic-messages', 'anthropic.claude-sonnet-4-5-20250929-v1:0', { ...ask('Largest city?'), outputConfig: { textFormat: { type: 'json_schema', structure: { jsonSchema: { name: 'city', schema: JSON.stringify(schema) } } } } });
    const text = events.flatMap((e) => ((e.contentBlockDelta as { delta?: { text?: string } })?.delta?.text ?? [])).join('');
    const value = JSON.parse(text);
    expect(Object.keys(value).sort()).toEqual(['city', 'population']);
    expect(Number.isInteger(value.population) && value.population >= 0).toBe(true);
  });
});

describe('InvokeModel with Claude: output_config.format (structured-output page) and adaptive thinking', () => {
  const schema = { type: 'object', properties: { verdict: { type: 'string', enum: ['yes', 'no'] } }, required: ['verdict'], additionalProperties: false };
  const body = (extra: object) => ({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 500, messages: [{ role: 'user', content: 'Is it?' }], ...extra });
  it('Claude Haiku 4.5 answers one text block of JSON valid against the schema', () => {
    const out = invokeModel({ family: 'anthropic-messages', modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0' }, body({ output_config: { format: { type: 'json_schema', schema } } }));
    const content = out.body.content as { type: string; text: string }[];
    expect(content.map((c) => c.type)).toEqual(['text']);
    expect(['yes', 'no']).toContain(JSON.parse(content[0].text).verdict);
  });
  it('Claude 3 Haiku refuses it', () => {
    expect(refusal(() => invokeModel({ family: 'anthropic-messages', modelId: 'anthropic.claude-3-haiku-20240307-v1:0' }, body({ output_config: { format: { type: 'json_schema', schema } } })))).toBeInstanceOf(ModelRefusal);
  });
  it('Claude Opus 4.7 answers adaptive thinking with a thinking block first and refuses budget_tokens', () => {
    const out = invokeModel({ family: 'anthropic-messages', modelId: 'anthropic.claude-opus-4-7' }, body({ max_tokens: 4000, thinking: { type: 'adaptive' }, output_config: { effort: 'high' } }));
    expect((out.body.content as { type: string }[])[0].type).toBe('thinking');
    const err = refusal(() => invokeModel({ family: 'anthropic-messages', modelId: 'anthropic.claude-opus-4-7' }, body({ max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 2000 } })));
    expect(err.message).toBe('"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.');
  });
});
