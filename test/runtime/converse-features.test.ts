// Converse and ConverseStream features as AWS documents them, through the real AWS SDK over a port, and the same
// answers in batch Converse records. Each test names the AWS page (or service-model member) it comes from.
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  type ConverseCommandInput,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { CreateModelInvocationJobCommand } from '@aws-sdk/client-bedrock';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyConverse as fakeConverse } from '../../src/fake-models/converse.js';
import { clientsFor, putJsonl, readText, ROLE, startEmulatorForTest, waitFor } from '../jobs/helpers.js';

let env: Awaited<ReturnType<typeof startEmulatorForTest>>;
beforeAll(async () => {
  env = await startEmulatorForTest({ quotas: { minRecordsPerJob: 1 } });
});
afterAll(() => env.cleanup());

const client = (region = 'us-east-1') =>
  new BedrockRuntimeClient({ endpoint: env.server.endpoint, region, maxAttempts: 1, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
const send = (input: unknown, region?: string) => client(region).send(new ConverseCommand(input as ConverseCommandInput));
const refused = (input: unknown, region?: string) => send(input, region).catch((e) => e);
async function stream(input: unknown, region?: string): Promise<ConverseStreamOutput[]> {
  const out = await client(region).send(new ConverseStreamCommand(input as ConverseCommandInput));
  const events: ConverseStreamOutput[] = [];
  for await (const e of out.stream!) events.push(e);
  return events;
}
const streamRefused = (input: unknown, region?: string) => stream(input, region).catch((e) => e);
const ajv = new Ajv({ strict: false });
const valid = (schema: object, value: unknown) => ajv.validate(schema, value) || ajv.errorsText();

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET_37 = 'us.anthropic.claude-3-7-sonnet-20250219-v1:0';
const user = (text: string) => ({ role: 'user', content: [{ text }] });

const WEATHER = {
  type: 'object',
  properties: {
    location: { type: 'string', minLength: 2 },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    days: { type: 'integer', minimum: 1, maximum: 7 },
  },
  required: ['location', 'unit', 'days'],
  additionalProperties: false,
};
const TOOLS = [
  { toolSpec: { name: 'top_song', description: 'Most popular song on a station', inputSchema: { json: { type: 'object', properties: { sign: { type: 'string', pattern: '^[A-Z]{4}$' } }, required: ['sign'] } } } },
  { toolSpec: { name: 'get_weather', description: 'Weather for a place', inputSchema: { json: WEATHER } } },
  { toolSpec: { name: 'get_time', inputSchema: { json: { type: 'object', properties: { zone: { type: 'string' } } } } } },
];

describe('toolChoice (service model ToolChoice; user guide "Call a tool with the Converse API")', () => {
  it('tool: "The Model must request the specified tool", with an input valid against its inputSchema and no text (20 prompts)', async () => {
    for (let i = 0; i < 20; i++) {
      const out = await send({ modelId: HAIKU, messages: [user(`What is the weather like, question ${i}?`)], toolConfig: { tools: TOOLS, toolChoice: { tool: { name: 'get_weather' } } } });
      expect(out.stopReason).toBe('tool_use');
      const content = out.output!.message!.content!;
      expect(content).toHaveLength(1);
      expect(content[0].toolUse!.name).toBe('get_weather');
      expect(valid(WEATHER, content[0].toolUse!.input)).toBe(true);
    }
  });

  it('any: "The model must request at least one tool (no text is generated)" — Converse and ConverseStream', async () => {
    const request = { modelId: HAIKU, messages: [user('Play me something')], toolConfig: { tools: TOOLS, toolChoice: { any: {} } } };
    const out = await send(request);
    expect(out.output!.message!.content!.map((b) => Object.keys(b).filter((k) => (b as unknown as Record<string, unknown>)[k] !== undefined))).toEqual([['toolUse']]);
    const events = await stream(request);
    expect(events.some((e) => e.contentBlockDelta?.delta?.text !== undefined)).toBe(false);
    const start = events.find((e) => e.contentBlockStart)!.contentBlockStart!;
    expect(start.start!.toolUse!.name).toBe(out.output!.message!.content![0].toolUse!.name);
    const input = JSON.parse(events.filter((e) => e.contentBlockDelta?.delta?.toolUse).map((e) => e.contentBlockDelta!.delta!.toolUse!.input).join(''));
    expect(input).toEqual(out.output!.message!.content![0].toolUse!.input);
    expect(events.find((e) => e.messageStop)!.messageStop!.stopReason).toBe('tool_use');
  });

  it('tool on ConverseStream names the forced tool too, and Nova (Amazon Nova user guide: tool choice) does the same', async () => {
    const events = await stream({ modelId: 'amazon.nova-lite-v1:0', messages: [user('Weather in Paris?')], toolConfig: { tools: TOOLS, toolChoice: { tool: { name: 'get_weather' } } } });
    expect(events.find((e) => e.contentBlockStart)!.contentBlockStart!.start!.toolUse!.name).toBe('get_weather');
    const input = JSON.parse(events.filter((e) => e.contentBlockDelta?.delta?.toolUse).map((e) => e.contentBlockDelta!.delta!.toolUse!.input).join(''));
    expect(valid(WEATHER, input)).toBe(true);
  });

  it('auto: a tool call after text carries an input valid against its schema', async () => {
    let seen = 0;
    for (let i = 0; i < 10; i++) {
      const out = await send({ modelId: HAIKU, messages: [user(`Anything ${i}`)], toolConfig: { tools: TOOLS.slice(1, 2) } });
      const call = out.output!.message!.content!.find((b) => b.toolUse);
      if (!call) continue;
      seen++;
      expect(out.output!.message!.content![0].text).toBeTypeOf('string');
      expect(valid(WEATHER, call.toolUse!.input)).toBe(true);
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('ToolChoice docs: `tool` and `any` only where the model supports them (Jamba 1.5: auto only; Mistral Large 2407: no `tool`)', async () => {
    const jamba = await refused({ modelId: 'ai21.jamba-1-5-mini-v1:0', messages: [user('Hi')], toolConfig: { tools: TOOLS, toolChoice: { any: {} } } });
    expect([jamba.name, jamba.message]).toEqual(['ValidationException', "This model doesn't support the toolConfig.toolChoice.any field. Remove toolConfig.toolChoice.any and try again."]);
    const mistral = await refused({ modelId: 'mistral.mistral-large-2407-v1:0', messages: [user('Hi')], toolConfig: { tools: TOOLS, toolChoice: { tool: { name: 'get_time' } } } }, 'us-west-2');
    expect(mistral.message).toBe("This model doesn't support the toolConfig.toolChoice.tool field. Remove toolConfig.toolChoice.tool and try again.");
  });
});

describe('Converse "Supported models and model features" table, per model', () => {
  const cases: [string, string, string | undefined, unknown, RegExp][] = [
    ['Jamba-Instruct: no tool use', 'ai21.jamba-instruct-v1:0', undefined, { messages: [user('Hi')], toolConfig: { tools: TOOLS } }, /doesn't support tool use/],
    ['Jamba-Instruct: no document chat', 'ai21.jamba-instruct-v1:0', undefined, { messages: [{ role: 'user', content: [{ text: 'Sum up' }, { document: { format: 'txt', name: 'notes', source: { bytes: new TextEncoder().encode('x') } } }] }] }, /doesn't support documents/],
    ['Titan Text Premier: no document chat', 'amazon.titan-text-premier-v1:0', undefined, { messages: [{ role: 'user', content: [{ text: 'Sum up' }, { document: { format: 'txt', name: 'notes', source: { bytes: new TextEncoder().encode('x') } } }] }] }, /doesn't support documents/],
    ['Nova Micro: no document chat', 'amazon.nova-micro-v1:0', undefined, { messages: [{ role: 'user', content: [{ text: 'Sum up' }, { document: { format: 'txt', name: 'notes', source: { bytes: new TextEncoder().encode('x') } } }] }] }, /doesn't support documents/],
    ['Nova Micro: no vision', 'amazon.nova-micro-v1:0', undefined, { messages: [{ role: 'user', content: [{ text: 'What is it?' }, { image: { format: 'png', source: { bytes: new Uint8Array([1]) } } }] }] }, /doesn't support the image content block/],
    ['Claude 3 Haiku: no searchResult (citations: Claude 3.7 Sonnet and later)', HAIKU, undefined, { messages: [{ role: 'user', content: [{ text: 'Cite' }, { searchResult: { source: 'https://example.com', title: 'Ex', content: [{ text: 'Fact.' }] } }] }] }, /searchResult/],
    ['Llama 3.1: tool use but no streaming tool use (ConverseStream)', 'meta.llama3-1-70b-instruct-v1:0', 'us-west-2', { messages: [user('Hi')], toolConfig: { tools: TOOLS } }, /tool use in streaming mode/],
  ];
  it.each(cases)('%s', async (_name, modelId, region, body, message) => {
    const streaming = _name.includes('ConverseStream');
    const err = streaming ? await streamRefused({ modelId, ...(body as object) }, region) : await refused({ modelId, ...(body as object) }, region);
    expect(err.name).toBe('ValidationException');
    expect(err.message).toMatch(message);
  });

  it('Jurassic-2: Converse yes, ConverseStream no (as ListFoundationModels marks it not streaming)', async () => {
    const out = await send({ modelId: 'ai21.j2-mid-v1', messages: [user('Hi')] });
    expect(out.output!.message!.content![0].text).toBeTypeOf('string');
    const err = await streamRefused({ modelId: 'ai21.j2-mid-v1', messages: [user('Hi')] });
    expect(err.message).toBe("This action doesn't support the model that you provided. Try again with a supported text or chat model.");
  });

  it('Llama 3.1 takes tools on Converse (the table: tool use yes)', async () => {
    const out = await send({ modelId: 'meta.llama3-1-70b-instruct-v1:0', messages: [user('Hi')], toolConfig: { tools: TOOLS } }, 'us-west-2');
    expect(out.output!.message!.role).toBe('assistant');
  });
});

describe('Message.content restrictions (service model)', () => {
  const png = { image: { format: 'png', source: { bytes: new Uint8Array([137, 80, 78, 71]) } } };
  const doc = (name: string) => ({ document: { format: 'txt', name, source: { bytes: new TextEncoder().encode('hello') } } });
  it('"You can include up to 20 images": 21 are refused, 20 accepted', async () => {
    expect((await refused({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'Compare' }, ...Array(21).fill(png)] }] })).message).toMatch(/up to 20 images/);
    expect((await send({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'Compare' }, ...Array(20).fill(png)] }] })).stopReason).toBeTruthy();
  });
  it('"You can include up to five documents": 6 are refused', async () => {
    const docs = Array.from({ length: 6 }, (_, i) => doc(`doc ${i}`));
    expect((await refused({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'Compare' }, ...docs] }] })).message).toMatch(/up to 5 documents/);
  });
  it('"If you include a ContentBlock with a document field … you must also include a ContentBlock with a text field"', async () => {
    const err = await refused({ modelId: HAIKU, messages: [{ role: 'user', content: [doc('notes')] }] });
    expect([err.name, err.message]).toEqual(['ValidationException', 'A document content block must be accompanied by a text content block in the same message. Add a text block and try again.']);
  });
  it('"You can only include images and documents if the role is user"', async () => {
    const err = await refused({ modelId: HAIKU, messages: [user('Hi'), { role: 'assistant', content: [{ text: 'See' }, png] }, user('ok')] });
    expect(err.message).toMatch(/only allowed in user messages/);
  });
  it('DocumentBlock.name: no dots, no two whitespace characters in a row; alphanumerics, hyphens, parentheses, brackets accepted', async () => {
    for (const name of ['report.pdf', 'two  spaces']) {
      expect((await refused({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'Read' }, doc(name)] }] })).message).toMatch(/^The document file name can only contain/);
    }
    expect((await send({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'Read' }, doc('Q3 report (final) [v2]-a')] }] })).stopReason).toBeTruthy();
  });
});

describe('maxTokens ceilings per model (model parameters pages)', () => {
  it('Titan Text Lite: 4,096 accepted, 4,097 refused', async () => {
    expect((await send({ modelId: 'amazon.titan-text-lite-v1', messages: [user('Hi')], inferenceConfig: { maxTokens: 4096 } })).stopReason).toBeTruthy();
    const err = await refused({ modelId: 'amazon.titan-text-lite-v1', messages: [user('Hi')], inferenceConfig: { maxTokens: 4097 } });
    expect(err.message).toBe('The maximum tokens you requested exceeds the model limit of 4096. Try again with a maximum tokens value that is lower than 4096.');
  });
  it('Claude 3.7 Sonnet: 64,000; 128,000 with anthropic_beta output-128k-2025-02-19', async () => {
    expect((await refused({ modelId: SONNET_37, messages: [user('Hi')], inferenceConfig: { maxTokens: 64001 } })).message).toMatch(/model limit of 64000/);
    const out = await send({ modelId: SONNET_37, messages: [user('Hi')], inferenceConfig: { maxTokens: 128000 }, additionalModelRequestFields: { anthropic_beta: ['output-128k-2025-02-19'] } });
    expect(out.stopReason).toBe('end_turn');
  });
  it('Nova Lite: 10,000 (Amazon Nova inference parameters)', async () => {
    expect((await refused({ modelId: 'amazon.nova-lite-v1:0', messages: [user('Hi')], inferenceConfig: { maxTokens: 10001 } })).message).toMatch(/model limit of 10000/);
  });
});

const THINK = { thinking: { type: 'enabled', budget_tokens: 2048 } };
describe('Extended thinking (user guide "Extended thinking", Claude on Bedrock)', () => {
  it('answers reasoningContent (reasoningText with a signature) before the text', async () => {
    const out = await send({ modelId: SONNET_37, messages: [user('Is 1001 prime?')], inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: THINK });
    const [reasoning, text] = out.output!.message!.content!;
    expect(reasoning.reasoningContent!.reasoningText!.text).toBeTypeOf('string');
    expect(reasoning.reasoningContent!.reasoningText!.signature!.length).toBeGreaterThan(20);
    expect(text.text).toBeTypeOf('string');
  });

  it('streams reasoning deltas, then the signature, then the text (ConverseStream)', async () => {
    const events = await stream({ modelId: SONNET_37, messages: [user('Is 1001 prime?')], inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: THINK });
    const deltas = events.filter((e) => e.contentBlockDelta).map((e) => e.contentBlockDelta!);
    const reasoning = deltas.filter((d) => d.contentBlockIndex === 0).map((d) => d.delta!.reasoningContent!);
    expect(reasoning.length).toBeGreaterThan(1);
    expect(reasoning.slice(0, -1).every((r) => typeof r.text === 'string')).toBe(true);
    expect(reasoning.at(-1)!.signature).toBeTypeOf('string');
    expect(deltas.filter((d) => d.contentBlockIndex === 1).every((d) => typeof d.delta!.text === 'string')).toBe(true);
  });

  it('"Thinking encryption": a redacted block comes back as redactedContent (Anthropic\'s test trigger string)', async () => {
    const trigger = 'ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253D5E2D82641AC0E52CC2876CB';
    const out = await send({ modelId: SONNET_37, messages: [user(trigger)], inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: THINK });
    expect(out.output!.message!.content![0].reasoningContent!.redactedContent).toBeInstanceOf(Uint8Array);
  });

  it('a redacted block carries the same bytes from Converse and ConverseStream (a blob in both shapes of the service model)', async () => {
    const trigger = 'ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253D5E2D82641AC0E52CC2876CB';
    const input = { modelId: SONNET_37, messages: [user(trigger)], inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: THINK };
    const whole = (await send(input)).output!.message!.content![0].reasoningContent!.redactedContent!;
    const streamed = (await stream(input)).flatMap((e) => (e.contentBlockDelta?.delta?.reasoningContent?.redactedContent ? [e.contentBlockDelta.delta.reasoningContent.redactedContent] : []));
    expect(streamed).toHaveLength(1);
    expect(Buffer.from(whole).equals(Buffer.from(streamed[0]))).toBe(true);
  });

  const refusals: [string, object, string][] = [
    ['budget below 1,024', { inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1023 } } }, 'The model returned the following errors: thinking.enabled.budget_tokens: Input should be greater than or equal to 1024'],
    ['budget not below max_tokens', { inferenceConfig: { maxTokens: 2048 }, additionalModelRequestFields: THINK }, 'The model returned the following errors: `max_tokens` must be greater than `thinking.budget_tokens`.'],
    ['temperature other than 1', { inferenceConfig: { maxTokens: 4000, temperature: 0.5 }, additionalModelRequestFields: THINK }, 'The model returned the following errors: `temperature` may only be set to 1 when thinking is enabled.'],
    ['top_k set', { inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: { ...THINK, top_k: 10 } }, 'The model returned the following errors: `top_k`'],
    ['forced tool use', { inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: THINK, toolConfig: { tools: TOOLS, toolChoice: { any: {} } } }, 'The model returned the following errors: Thinking may not be enabled when tool_choice forces tool use.'],
  ];
  it.each(refusals)('refuses %s', async (_name, extra, message) => {
    const err = await refused({ modelId: SONNET_37, messages: [user('Think')], ...extra });
    expect(err.name).toBe('ValidationException');
    expect(err.message.startsWith(message)).toBe(true);
  });

  it('refuses an assistant prefill ("pre-filling responses" is not compatible with thinking)', async () => {
    const err = await refused({ modelId: SONNET_37, messages: [user('Think'), { role: 'assistant', content: [{ text: 'The answer is' }] }], inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: THINK });
    expect(err.message).toMatch(/^The model returned the following errors: messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `text`/);
  });

  it('accepts the thinking block sent back in a tool-use turn, and refuses the turn without it', async () => {
    const first = await send({ modelId: SONNET_37, messages: [user('Weather in Oslo? Use the tool.')], inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: THINK, toolConfig: { tools: TOOLS.slice(1, 2) } });
    const content = first.output!.message!.content!;
    const call = content.find((b) => b.toolUse)?.toolUse ?? { toolUseId: 'tooluse_x', name: 'get_weather', input: { location: 'Oslo', unit: 'celsius', days: 1 } };
    const reasoning = content[0];
    const turn = (assistant: unknown[]) => ({
      modelId: SONNET_37,
      inferenceConfig: { maxTokens: 4000 },
      additionalModelRequestFields: THINK,
      toolConfig: { tools: TOOLS.slice(1, 2) },
      messages: [user('Weather in Oslo? Use the tool.'), { role: 'assistant', content: assistant }, { role: 'user', content: [{ toolResult: { toolUseId: call.toolUseId, content: [{ json: { tempC: 4 } }] } }] }],
    });
    const next = await send(turn([reasoning, { toolUse: call }]));
    expect(next.output!.message!.content![0].reasoningContent).toBeDefined();
    const err = await refused(turn([{ toolUse: call }]));
    expect(err.message).toMatch(/Expected `thinking` or `redacted_thinking`, but found `tool_use`/);
  });

  it('a model without extended thinking (Claude 3 Haiku) refuses it', async () => {
    const err = await refused({ modelId: HAIKU, messages: [user('Think')], inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: THINK });
    expect(err.message).toBe('The model returned the following errors: thinking: Extra inputs are not permitted');
  });
});

describe('Extended thinking on InvokeModel (Anthropic Claude Messages API on Bedrock)', () => {
  const body = (extra: object = {}) => new TextEncoder().encode(JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 2048 }, messages: [{ role: 'user', content: 'Is 1001 prime?' }], ...extra }));
  const invoke = async (b: Uint8Array) => JSON.parse(new TextDecoder().decode((await client().send(new InvokeModelCommand({ modelId: SONNET_37, body: b }))).body));

  it('thinking blocks come before text', async () => {
    const out = await invoke(body());
    expect(out.content.map((c: { type: string }) => c.type)).toEqual(['thinking', 'text']);
    expect(out.content[0].signature).toBeTypeOf('string');
  });

  it('streams thinking_delta then signature_delta', async () => {
    const res = await client().send(new InvokeModelWithResponseStreamCommand({ modelId: SONNET_37, body: body() }));
    const events: { type: string; index?: number; delta?: { type: string } }[] = [];
    for await (const e of res.body!) events.push(JSON.parse(new TextDecoder().decode(e.chunk!.bytes)));
    const block0 = events.filter((e) => e.index === 0 && e.type === 'content_block_delta').map((e) => e.delta!.type);
    expect(block0.at(-1)).toBe('signature_delta');
    expect(new Set(block0.slice(0, -1))).toEqual(new Set(['thinking_delta']));
  });

  it('refuses budget_tokens below 1,024 and at or above max_tokens', async () => {
    const low = await client().send(new InvokeModelCommand({ modelId: SONNET_37, body: body({ thinking: { type: 'enabled', budget_tokens: 100 } }) })).catch((e) => e);
    expect(low.message).toBe('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    const high = await client().send(new InvokeModelCommand({ modelId: SONNET_37, body: body({ max_tokens: 2048 }) })).catch((e) => e);
    expect(high.message).toMatch(/^`max_tokens` must be greater than `thinking.budget_tokens`/);
  });

  it('accepts thinking and redacted_thinking blocks sent back in a tool-use turn', async () => {
    const messages = [
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: [{ type: 'thinking', thinking: 'Use the tool.', signature: 'c2ln' }, { type: 'redacted_thinking', data: 'ZW5j' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'Oslo' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '4C' }] },
    ];
    const out = await invoke(body({ messages, tools: [{ name: 'get_weather', input_schema: WEATHER }] }));
    expect(out.content[0].type).toBe('thinking');
  });

  it('forced tool_choice: the named tool, input valid against input_schema, no text', async () => {
    const b = new TextEncoder().encode(JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 300, messages: [{ role: 'user', content: 'Weather?' }], tools: [{ name: 'get_time', input_schema: { type: 'object' } }, { name: 'get_weather', input_schema: WEATHER }], tool_choice: { type: 'tool', name: 'get_weather' } }));
    const out = JSON.parse(new TextDecoder().decode((await client().send(new InvokeModelCommand({ modelId: HAIKU, body: b }))).body));
    expect(out.content.map((c: { type: string }) => c.type)).toEqual(['tool_use']);
    expect(out.content[0].name).toBe('get_weather');
    expect(valid(WEATHER, out.content[0].input)).toBe(true);
  });
});

describe('Structured output (user guide "Get validated JSON results from models"; OutputConfig)', () => {
  const outputConfig = { textFormat: { type: 'json_schema', structure: { jsonSchema: { name: 'weather', schema: JSON.stringify(WEATHER) } } } };
  it('a model AWS does not list (Claude 3 Haiku) refuses outputConfig.textFormat', async () => {
    const err = await refused({ modelId: HAIKU, messages: [user('Weather?')], outputConfig });
    expect(err.name).toBe('ValidationException');
    expect(err.message).toMatch(/structured output/);
  });
  it('Claude Sonnet 4.5 answers JSON valid against the schema, deterministically', () => {
    const req = { messages: [{ role: 'user', content: [{ text: 'Weather in Rome?' }] }], outputConfig };
    const a = fakeConverse('anthropic-messages', 'anthropic.claude-sonnet-4-5-20250929-v1:0', req);
    const b = fakeConverse('anthropic-messages', 'anthropic.claude-sonnet-4-5-20250929-v1:0', req);
    expect(a).toEqual(b);
    expect(valid(WEATHER, JSON.parse(String(a.output.message.content[0].text)))).toBe(true);
  });
});

describe('Prompt caching (user guide "Prompt caching for faster model inference")', () => {
  // ~1,250 tokens by the emulator's 4-characters count: above Claude 3.7 Sonnet's 1,024 minimum per checkpoint.
  const LONG = 'Reference material for the assistant. '.repeat(132);
  const request = (question: string, ttl?: string) => ({
    modelId: SONNET_37,
    system: [{ text: LONG }, { cachePoint: { type: 'default', ...(ttl ? { ttl } : {}) } }],
    messages: [user(question)],
  });

  it('writes the prefix on the first call, reads it on a repeat within 5 minutes, writes again after it expires', async () => {
    const first = await send(request('Question one'), 'us-west-2');
    expect([first.usage!.cacheWriteInputTokens, first.usage!.cacheReadInputTokens]).toEqual([1254, 0]);
    expect(first.usage!.cacheDetails).toEqual([{ ttl: '5m', inputTokens: 1254 }]);
    const repeat = await send(request('Question two'), 'us-west-2');
    expect([repeat.usage!.cacheWriteInputTokens, repeat.usage!.cacheReadInputTokens]).toEqual([0, 1254]);
    expect(repeat.usage!.totalTokens).toBe(repeat.usage!.inputTokens! + repeat.usage!.outputTokens! + 1254);
    // A hit restarts the TTL: 4 minutes later it is still cached, 5 minutes after that it is gone.
    env.server.emu.clock.advance(4 * 60_000);
    expect((await send(request('Question three'), 'us-west-2')).usage!.cacheReadInputTokens).toBe(1254);
    env.server.emu.clock.advance(5 * 60_000 + 1);
    expect((await send(request('Question four'), 'us-west-2')).usage!.cacheWriteInputTokens).toBe(1254);
  });

  it('reports the same in ConverseStream\'s metadata event; the cache is per account and region', async () => {
    const events = await stream(request('Streamed'), 'us-east-2');
    expect(events.at(-1)!.metadata!.usage).toMatchObject({ cacheWriteInputTokens: 1254, cacheReadInputTokens: 0 });
    const again = await stream(request('Streamed again'), 'us-east-2');
    expect(again.at(-1)!.metadata!.usage).toMatchObject({ cacheWriteInputTokens: 0, cacheReadInputTokens: 1254 });
  });

  it('a checkpoint below the model\'s minimum tokens is not cached; the request still succeeds', async () => {
    const out = await send({ modelId: SONNET_37, system: [{ text: 'Short system prompt.' }, { cachePoint: { type: 'default' } }], messages: [user('Hi')] });
    expect([out.usage!.cacheWriteInputTokens, out.usage!.cacheReadInputTokens]).toEqual([0, 0]);
  });

  it('a cachePoint on a model without prompt caching (Claude 3 Haiku) is refused', async () => {
    const err = await refused({ modelId: HAIKU, system: [{ text: 'Be brief.' }, { cachePoint: { type: 'default' } }], messages: [user('Hi')] });
    expect([err.name, err.message]).toEqual(['AccessDeniedException', 'You invoked an unsupported model or your request did not allow prompt caching. See the documentation for more information.']);
  });

  it('the 1-hour TTL only where the page lists it (not Claude 3.7 Sonnet)', async () => {
    expect((await refused(request('Hi', '1h'))).name).toBe('ValidationException');
  });
});

describe('Other Converse request members (service model)', () => {
  it('guardrailConfig naming a guardrail that does not exist', async () => {
    const err = await refused({ modelId: HAIKU, messages: [user('Hi')], guardrailConfig: { guardrailIdentifier: 'gr0missing', guardrailVersion: '1' } });
    expect([err.name, err.message]).toEqual(['ValidationException', 'The guardrail identifier or version provided in the request does not exist.']);
  });
  it('performanceConfig.latency is echoed in the response and the stream\'s metadata', async () => {
    const req = { modelId: HAIKU, messages: [user('Hi')], performanceConfig: { latency: 'optimized' } };
    expect((await send(req)).performanceConfig).toEqual({ latency: 'optimized' });
    expect((await stream(req)).at(-1)!.metadata!.performanceConfig).toEqual({ latency: 'optimized' });
  });
  it('additionalModelResponseFieldPaths entries must be JSON Pointers (start with "/")', async () => {
    const err = await refused({ modelId: HAIKU, messages: [user('Hi')], additionalModelResponseFieldPaths: ['stop_sequence'] });
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(['ValidationException', 400]);
    expect((await send({ modelId: HAIKU, messages: [user('Hi')], additionalModelResponseFieldPaths: ['/stop_sequence'] })).stopReason).toBeTruthy();
  });
});

describe('batch Converse records (modelInvocationType: Converse; user guide "Process multiple prompts with batch inference")', () => {
  it('answer as the runtime does (thinking, structured output refusal, ceilings); records with toolConfig fail with a 400 error', async () => {
    const BASE_37 = 'anthropic.claude-3-7-sonnet-20250219-v1:0';
    const records = [
      { recordId: 'thinking', modelInput: { messages: [user('Is 1001 prime?')], inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: THINK } },
      { recordId: 'plain', modelInput: { messages: [user('Hello')], inferenceConfig: { maxTokens: 100 } } },
      { recordId: 'tool', modelInput: { messages: [user('Weather?')], toolConfig: { tools: TOOLS, toolChoice: { tool: { name: 'get_weather' } } } } },
      { recordId: 'low-budget', modelInput: { messages: [user('Think')], inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 10 } } } },
      { recordId: 'too-many-tokens', modelInput: { messages: [user('Hi')], inferenceConfig: { maxTokens: 64001 } } },
    ];
    const { s3, bedrock } = clientsFor(env.server);
    await putJsonl(s3, 'converse-in', 'records.jsonl', records);
    await putJsonl(s3, 'converse-out', 'keep', []);
    const { jobArn } = await bedrock.send(new CreateModelInvocationJobCommand({
      jobName: 'converse-features', roleArn: ROLE, modelId: BASE_37, modelInvocationType: 'Converse',
      inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://converse-in/records.jsonl' } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://converse-out/' } },
    }));
    expect((await waitFor(bedrock, jobArn!)).status).toBe('Completed');
    const lines = (await readText(s3, 'converse-out', `${jobArn!.split('/').pop()}/records.jsonl.out`)).trim().split('\n').map((l) => JSON.parse(l));
    const byId = new Map(lines.map((l) => [l.recordId, l]));
    for (const id of ['thinking', 'plain']) {
      const { output, stopReason, usage } = await send({ modelId: SONNET_37, ...records.find((r) => r.recordId === id)!.modelInput });
      const { metrics: _, ...batch } = byId.get(id).modelOutput;
      // The SDK hands the reasoning signature back as it came; the batch line is the same JSON.
      expect(batch).toEqual(JSON.parse(JSON.stringify({ output, stopReason, usage })));
    }
    expect(byId.get('thinking').modelOutput.output.message.content[0].reasoningContent.reasoningText.signature).toBeTypeOf('string');
    expect(byId.get('tool').error.errorCode).toBe(400);
    expect(byId.get('tool').modelOutput).toBeUndefined();
    expect(byId.get('low-budget').error).toEqual({ errorCode: 400, errorMessage: 'The model returned the following errors: thinking.enabled.budget_tokens: Input should be greater than or equal to 1024' });
    expect(byId.get('too-many-tokens').error.errorMessage).toMatch(/model limit of 64000/);
  });
});

// fast-check: the seed is printed in the test name; FC_SEED=<seed> replays a run.
const SEED = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
const leaf = fc.oneof(
  fc.record({ type: fc.constant('string'), minLength: fc.integer({ min: 0, max: 5 }), maxLength: fc.integer({ min: 5, max: 30 }) }),
  fc.record({ type: fc.constant('string'), enum: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 }) }),
  fc.record({ type: fc.constant('string'), format: fc.constantFrom('date-time', 'email', 'uuid', 'date') }),
  fc.record({ type: fc.constant('string'), pattern: fc.constantFrom('^[A-Z]{4}$', '^[a-z]+-[0-9]{2}$') }),
  fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 })).map(([min, span]) => ({ type: 'integer', minimum: min, maximum: min + span })),
  fc.record({ type: fc.constant('number'), minimum: fc.constant(0), maximum: fc.constant(1) }),
  fc.constant({ type: 'boolean' }),
  fc.constant({ type: 'null' }),
  fc.constant({ anyOf: [{ type: 'string', maxLength: 3 }, { type: 'integer', minimum: 0 }] }),
  fc.constant({ oneOf: [{ type: 'string', format: 'uuid' }, { type: 'boolean' }] }),
  fc.record({ type: fc.constant('string'), maxLength: fc.constant(8), examples: fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 2 }) }),
);
const { schema: objectSchema } = fc.letrec<{ node: object; schema: object }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('schema'), fc.record({ type: fc.constant('array'), items: tie('node'), minItems: fc.integer({ min: 0, max: 2 }), maxItems: fc.integer({ min: 2, max: 4 }) })),
  schema: fc
    .dictionary(fc.string({ unit: fc.constantFrom(...'abcdefgh_'), minLength: 1, maxLength: 6 }), tie('node'), { minKeys: 0, maxKeys: 4 })
    .chain((properties) => fc.record({ type: fc.constant('object'), properties: fc.constant(properties), required: fc.subarray(Object.keys(properties)), additionalProperties: fc.constant(false) })),
}));

const DEEP = { type: 'object', properties: { a: { type: 'array', minItems: 1, items: { type: 'array', minItems: 1, items: { type: 'array', minItems: 1, items: { type: 'object', properties: { a: { type: 'object', properties: { a: { type: 'array', items: { type: 'integer', minimum: 899, maximum: 925 }, minItems: 2, maxItems: 2 } }, required: ['a'] } }, required: ['a'] } } } } }, required: ['a'] };

describe(`generated data validates against arbitrary schemas (fast-check seed ${SEED})`, () => {
  const formats = { 'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/, email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, date: /^\d{4}-\d\d-\d\d$/ };
  const strict = new Ajv({ strict: false, formats });
  it('every forced tool input (Converse toolChoice.tool) satisfies the tool\'s inputSchema', () => {
    fc.assert(
      fc.property(objectSchema, fc.string({ maxLength: 20 }), (schema, prompt) => {
        const out = fakeConverse('anthropic-messages', HAIKU, { messages: [{ role: 'user', content: [{ text: `q ${prompt}` }] }], toolConfig: { tools: [{ toolSpec: { name: 'f', inputSchema: { json: schema } } }], toolChoice: { tool: { name: 'f' } } } });
        const input = (out.output.message.content[0].toolUse as { input: unknown }).input;
        expect(strict.validate(schema, input) || strict.errorsText()).toBe(true);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
  it('every structured answer (outputConfig.textFormat) satisfies its schema', () => {
    fc.assert(
      fc.property(objectSchema, (schema) => {
        const out = fakeConverse('anthropic-messages', 'anthropic.claude-haiku-4-5-20251001-v1:0', {
          messages: [{ role: 'user', content: [{ text: 'Extract' }] }],
          outputConfig: { textFormat: { type: 'json_schema', structure: { jsonSchema: { name: 's', schema: JSON.stringify(schema) } } } },
        });
        expect(strict.validate(schema, JSON.parse(String(out.output.message.content[0].text))) || strict.errorsText()).toBe(true);
      }),
      // The first counterexample found (seed 900939210): integers seven levels down came back wrong at json-schema-faker's depth 6.
      { seed: SEED, numRuns: 150, examples: [[DEEP]] },
    );
  });
});
