// Converse and ConverseStream rules, through the AWS SDK over a port. Sources, per test:
// - conversation shape: AWS's answers as users report them ("A conversation must start with a user message. Try
//   again with a conversation that starts with a user message." langgenius/dify#12340; "A conversation must alternate
//   between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try
//   again." langchain-ai/langchainjs#6724);
// - features per model: AWS's "Supported models and model features" table (Titan Text: no system prompts; Llama 3
//   Instruct: no tool use; Claude 3 Haiku: no video, Nova Lite: video) and the Message.content limits of the service
//   model ("up to five documents");
// - usage: the service model's TokenUsage ("totalTokens: the total of input tokens and tokens generated";
//   cacheDetails "Sorted by TTL duration (1h before 5m)"), the prompt caching page (up to 4 checkpoints per request;
//   Claude 3.7 Sonnet: 1,024 tokens minimum per checkpoint, 5-minute TTL only; Claude Sonnet 4.5: 1-hour TTL too;
//   the cache is per model), and the README's counting rule: one token per 4 characters, rounded up; a max-tokens
//   field truncates with the length stop reason, a stop sequence met cuts the text with the stop-sequence reason;
// - ConverseStream's event order (API reference, ConverseStreamOutput): messageStart, per block its deltas and a
//   contentBlockStop, messageStop, metadata.
// Wordings the README lists as the emulator's own are checked only for naming what they refuse.
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorForTest } from '../jobs/helpers.js';

let env: Awaited<ReturnType<typeof startEmulatorForTest>>;
beforeAll(async () => {
  env = await startEmulatorForTest();
});
afterAll(() => env.cleanup());

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET_37 = 'us.anthropic.claude-3-7-sonnet-20250219-v1:0';
const SONNET_45 = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const TITAN = 'amazon.titan-text-express-v1';
const LLAMA3 = 'meta.llama3-8b-instruct-v1:0';
const NOVA_LITE = 'amazon.nova-lite-v1:0';

const client = (region = 'us-east-1') =>
  new BedrockRuntimeClient({ endpoint: env.server.endpoint, region, maxAttempts: 1, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
const send = (input: object, region?: string): Promise<ConverseCommandOutput> => client(region).send(new ConverseCommand(input as ConverseCommandInput));
const refused = (input: object, region?: string): Promise<Error & { $metadata?: { httpStatusCode?: number } }> =>
  send(input, region).then(() => { throw new Error('expected a refusal'); }, (e: Error) => e);
async function stream(input: object, region?: string): Promise<ConverseStreamOutput[]> {
  const out = await client(region).send(new ConverseStreamCommand(input as ConverseCommandInput));
  const events: ConverseStreamOutput[] = [];
  for await (const e of out.stream!) events.push(e);
  return events;
}
const text = (t: string) => ({ text: t });
const user = (...content: object[]) => ({ role: 'user', content });
const assistant = (...content: object[]) => ({ role: 'assistant', content });
/** A text of exactly `tokens` tokens by the README's count (4 characters each). */
const ofTokens = (tokens: number, word = 'abc ') => word.repeat(tokens);
const WEATHER = { toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } } };
const TIME = { toolSpec: { name: 'get_time', inputSchema: { json: { type: 'object', properties: { zone: { type: 'string' } } } } } };
const toolCall = { toolUse: { toolUseId: 'tooluse_abc123', name: 'get_weather', input: { city: 'Oslo' } } };
const toolAnswer = { toolResult: { toolUseId: 'tooluse_abc123', content: [{ json: { tempC: 4 } }] } };
const THINK = { thinking: { type: 'enabled', budget_tokens: 1024 } };

describe('the conversation', () => {
  const START = 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
  const ALTERNATE = 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.';
  it('starts with a user message', async () => {
    for (const messages of [[assistant(text('Hello'))], [assistant(text('Hello')), user(text('Hi'))], [], undefined]) {
      const err = await refused({ modelId: HAIKU, ...(messages ? { messages } : {}) });
      expect([err.name, err.message], JSON.stringify(messages)).toEqual(['ValidationException', START]);
    }
  });
  it('alternates between user and assistant, to its last message', async () => {
    for (const messages of [
      [user(text('Hi')), user(text('Again'))],
      [user(text('Hi')), assistant(text('Hello')), assistant(text('Again'))],
      [user(text('Hi')), assistant(text('Hello')), user(text('One')), user(text('Two'))],
    ]) {
      const err = await refused({ modelId: HAIKU, messages });
      expect([err.name, err.message], JSON.stringify(messages)).toEqual(['ValidationException', ALTERNATE]);
    }
    const ok = await send({ modelId: HAIKU, messages: [user(text('Hi')), assistant(text('Hello')), user(text('Bye'))] });
    expect(ok.output!.message!.role).toBe('assistant');
  });
});

describe('features per model (the supported-models table)', () => {
  it('Titan Text takes no system prompt, Claude does', async () => {
    const err = await refused({ modelId: TITAN, system: [text('Be brief.')], messages: [user(text('Hi'))] });
    expect(err.name).toBe('ValidationException');
    expect(err.message).toMatch(/doesn't support system messages/);
    expect((await send({ modelId: HAIKU, system: [text('Be brief.')], messages: [user(text('Hi'))] })).stopReason).toBeTruthy();
    // A system text beside other system blocks is a system prompt all the same.
    const mixed = await refused({ modelId: TITAN, system: [text('Be brief.'), { guardContent: { text: { text: 'Stay on topic.' } } }], messages: [user(text('Hi'))] });
    expect(mixed.message).toMatch(/doesn't support system messages/);
  });
  it('Llama 3 Instruct takes no tool use, also when only the messages carry a tool call and its result', async () => {
    const err = await refused({ modelId: LLAMA3, messages: [user(text('Weather?')), assistant(toolCall), user(toolAnswer)] });
    expect([err.name, err.message]).toEqual(['ValidationException', "This model doesn't support tool use."]);
    expect((await send({ modelId: HAIKU, messages: [user(text('Weather?')), assistant(toolCall), user(toolAnswer)], toolConfig: { tools: [WEATHER] } })).stopReason).toBeTruthy();
  });
  it('video only where the table has it (Nova Lite, not Claude 3 Haiku)', async () => {
    const video = { video: { format: 'mp4', source: { bytes: new Uint8Array([0, 0, 0, 24]) } } };
    const err = await refused({ modelId: HAIKU, messages: [user(text('What happens?'), video)] });
    expect(err.name).toBe('ValidationException');
    expect(err.message).toMatch(/video/);
    expect((await send({ modelId: NOVA_LITE, messages: [user(text('What happens?'), video)] })).stopReason).toBeTruthy();
  });
  it('up to five documents are accepted', async () => {
    const docs = Array.from({ length: 5 }, (_, i) => ({ document: { format: 'txt', name: `doc ${i}`, source: { bytes: new TextEncoder().encode('hello') } } }));
    expect((await send({ modelId: HAIKU, messages: [user(text('Compare'), ...docs)] })).stopReason).toBeTruthy();
  });
});

describe('tool configuration', () => {
  it('a toolConfig without a tool specification is refused; a cachePoint beside the tools is not a tool', async () => {
    const err = await refused({ modelId: SONNET_37, messages: [user(text('Hi'))], toolConfig: { tools: [{ cachePoint: { type: 'default' } }] } });
    expect(err.name).toBe('ValidationException');
    expect(err.message).toMatch(/toolConfig/);
    const ok = await send({ modelId: SONNET_37, messages: [user(text('Hi'))], toolConfig: { tools: [WEATHER, { cachePoint: { type: 'default' } }], toolChoice: { tool: { name: 'get_weather' } } } });
    expect(ok.output!.message!.content!.map((b) => b.toolUse?.name)).toEqual(['get_weather']);
    const after = await send({ modelId: SONNET_37, messages: [user(text('Hi'))], toolConfig: { tools: [WEATHER, { cachePoint: { type: 'default' } }, TIME], toolChoice: { tool: { name: 'get_time' } } } });
    expect(after.output!.message!.content!.map((b) => b.toolUse?.name)).toEqual(['get_time']);
    // A cache point is a marker, not input: below the model's minimum it changes no count.
    const plain = await send({ modelId: SONNET_37, messages: [user(text('Hi'))], toolConfig: { tools: [WEATHER], toolChoice: { tool: { name: 'get_weather' } } } });
    expect(ok.usage!.inputTokens).toBe(plain.usage!.inputTokens);
  });
  it('toolChoice.any calls one of the tools, never the cachePoint beside them', async () => {
    const questions = ['Oslo?', 'Rome?', 'Lima?', 'Pune?', 'Kyiv?', 'Baku?'];
    const answers = await Promise.all(questions.map((q) => send({ modelId: SONNET_37, messages: [user(text(q))], toolConfig: { tools: [WEATHER, { cachePoint: { type: 'default' } }], toolChoice: { any: {} } } })));
    for (const a of answers) expect(a.output!.message!.content!.map((b) => b.toolUse?.name)).toEqual(['get_weather']);
  });
  it('toolChoice.tool must name one of the tools', async () => {
    const err = await refused({ modelId: HAIKU, messages: [user(text('Hi'))], toolConfig: { tools: [WEATHER], toolChoice: { tool: { name: 'get_time' } } } });
    expect(err.name).toBe('ValidationException');
    expect(err.message).toContain('get_time');
  });
  it('an anthropic_beta value raises no other model\'s ceiling', async () => {
    const beta = { anthropic_beta: ['output-128k-2025-02-19'] };
    expect((await send({ modelId: HAIKU, messages: [user(text('Hi'))], inferenceConfig: { maxTokens: 4096 }, additionalModelRequestFields: beta })).stopReason).toBeTruthy();
    const err = await refused({ modelId: HAIKU, messages: [user(text('Hi'))], inferenceConfig: { maxTokens: 4097 }, additionalModelRequestFields: beta });
    expect(err.message).toMatch(/model limit of 4096/);
  });
  it('a bad additionalModelResponseFieldPaths entry is named', async () => {
    expect((await refused({ modelId: HAIKU, messages: [user(text('Hi'))], additionalModelResponseFieldPaths: ['stop_sequence'] })).message).toContain('stop_sequence');
  });
  it('a structured-output schema that is not JSON is refused, naming the field', async () => {
    const err = await refused({ modelId: SONNET_45, messages: [user(text('Hi'))], outputConfig: { textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: '{not json', name: 'answer' } } } } });
    expect(err.name).toBe('ValidationException');
    expect(err.message).toContain('outputConfig.textFormat.structure.jsonSchema.schema');
  });
});

describe('extended thinking in a tool-use loop (Claude on Bedrock, extended thinking page)', () => {
  const turn = (last: object) => ({
    modelId: SONNET_37,
    inferenceConfig: { maxTokens: 4000 },
    additionalModelRequestFields: THINK,
    toolConfig: { tools: [WEATHER] },
    messages: [user(text('Weather in Oslo?')), assistant(toolCall), last],
  });
  it('refuses the tool-use turn without its thinking block, also when the tool results come with text', async () => {
    for (const last of [user(toolAnswer), user(toolAnswer, text('Thanks'))]) {
      expect((await refused(turn(last))).message).toMatch(/Expected `thinking` or `redacted_thinking`, but found `tool_use`/);
    }
  });
  it('does not ask earlier assistant turns outside a tool-use loop for thinking', async () => {
    const out = await send({ modelId: SONNET_37, inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: THINK, messages: [user(text('Hi')), assistant(text('Hello')), user(text('Think again'))] });
    expect(out.output!.message!.content![0].reasoningContent).toBeDefined();
  });
  it('keeps thinking within the budget and the answer within maxTokens', async () => {
    for (const maxTokens of [1100, 4000]) {
      const out = await send({ modelId: SONNET_37, inferenceConfig: { maxTokens }, additionalModelRequestFields: THINK, messages: [user(text('Is 1001 prime? Think it through at length.'))] });
      const [reasoning] = out.output!.message!.content!;
      expect(Math.ceil(reasoning.reasoningContent!.reasoningText!.text!.length / 4)).toBeLessThanOrEqual(1024);
      expect(out.usage!.outputTokens!).toBeGreaterThan(0);
      expect(out.usage!.outputTokens!).toBeLessThanOrEqual(maxTokens);
      expect(out.usage!.totalTokens).toBe(out.usage!.inputTokens! + out.usage!.outputTokens!);
    }
  });
});

describe('usage', () => {
  it('counts the messages, the system prompt and the tool definitions as input, one token per 4 characters', async () => {
    const base = await send({ modelId: HAIKU, messages: [user(text(ofTokens(100)))] });
    expect(base.usage!.inputTokens).toBe(100);
    const withSystem = await send({ modelId: HAIKU, system: [text(ofTokens(50))], messages: [user(text(ofTokens(100)))] });
    expect(withSystem.usage!.inputTokens).toBe(150);
    const twoBlocks = await send({ modelId: HAIKU, messages: [user(text(ofTokens(100)), text(ofTokens(20)))] });
    expect(twoBlocks.usage!.inputTokens).toBe(120);
    const withTools = await send({ modelId: HAIKU, messages: [user(text(ofTokens(100)))], toolConfig: { tools: [WEATHER] } });
    // The tool's name, description and schema are input text: at least a token per 4 characters of its name and schema.
    const toolChars = WEATHER.toolSpec.name.length + JSON.stringify(WEATHER.toolSpec.inputSchema.json).length;
    expect(withTools.usage!.inputTokens! - 100).toBeGreaterThanOrEqual(Math.ceil(toolChars / 4));
    const withResult = await send({ modelId: HAIKU, messages: [user(text(ofTokens(100))), assistant(toolCall), user(toolAnswer)], toolConfig: { tools: [WEATHER] } });
    expect(withResult.usage!.inputTokens).toBeGreaterThan(withTools.usage!.inputTokens! + 1);
    for (const out of [base, withSystem, twoBlocks, withTools, withResult]) {
      expect(out.usage!.outputTokens).toBeGreaterThan(0);
      expect(out.usage!.totalTokens).toBe(out.usage!.inputTokens! + out.usage!.outputTokens!);
    }
  });
  it('ends with the length stop reason at maxTokens and the stop-sequence reason at a stop sequence', async () => {
    const short = await send({ modelId: HAIKU, messages: [user(text('Tell me a long story.'))], inferenceConfig: { maxTokens: 5 } });
    expect(short.stopReason).toBe('max_tokens');
    expect(short.usage!.outputTokens).toBeGreaterThan(0);
    expect(short.usage!.outputTokens).toBeLessThanOrEqual(5);
    const stopped = await send({ modelId: HAIKU, messages: [user(text('Tell me a long story.'))], inferenceConfig: { stopSequences: [' '] } });
    expect(stopped.stopReason).toBe('stop_sequence');
    expect(stopped.output!.message!.content![0].text).not.toContain(' ');
    const cutWithTools = await send({ modelId: HAIKU, messages: [user(text('Tell me a long story.'))], inferenceConfig: { maxTokens: 5 }, toolConfig: { tools: [WEATHER] } });
    expect(cutWithTools.stopReason).toBe('max_tokens');
    expect(cutWithTools.output!.message!.content!.some((b) => b.toolUse)).toBe(false);
    const natural = await send({ modelId: HAIKU, messages: [user(text('Hi'))] });
    expect(natural.stopReason).toBe('end_turn');
    expect(natural.output!.message!.content!.map((b) => Object.keys(b))).toEqual([['text']]);
  });
  it('a tool call the model chooses to make ends its turn with tool_use', async () => {
    const answers = await Promise.all(['Weather in Oslo?', 'Weather in Rome?', 'Weather in Lima?', 'Weather in Pune?'].map((q) => send({ modelId: HAIKU, messages: [user(text(q))], toolConfig: { tools: [WEATHER] } })));
    const calls = answers.filter((a) => a.output!.message!.content!.some((b) => b.toolUse));
    expect(calls.length).toBeGreaterThan(0);
    for (const a of calls) expect(a.stopReason).toBe('tool_use');
  });
  it('a forced tool call and a structured answer are output tokens too; the structured answer ends the turn', async () => {
    const forced = await send({ modelId: HAIKU, messages: [user(text('Weather?'))], toolConfig: { tools: [WEATHER], toolChoice: { any: {} } } });
    expect(forced.stopReason).toBe('tool_use');
    const structured = await send({
      modelId: SONNET_45, messages: [user(text('Weather?'))],
      outputConfig: { textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: JSON.stringify(WEATHER.toolSpec.inputSchema.json), name: 'weather' } } } },
    });
    expect(structured.stopReason).toBe('end_turn');
    for (const out of [forced, structured]) {
      expect(out.usage!.outputTokens).toBeGreaterThan(0);
      expect(out.usage!.totalTokens).toBe(out.usage!.inputTokens! + out.usage!.outputTokens!);
    }
  });
});

describe('prompt caching', () => {
  const cachePoint = (ttl?: string) => ({ cachePoint: { type: 'default', ...(ttl ? { ttl } : {}) } });
  it('allows up to 4 checkpoints', async () => {
    const points = (n: number) => Array.from({ length: n }, (_, i) => [text(`Part ${i} ${ofTokens(10)}`), cachePoint()]).flat();
    expect((await send({ modelId: SONNET_37, messages: [user(...points(4))] }, 'us-east-2')).stopReason).toBeTruthy();
    const err = await refused({ modelId: SONNET_37, messages: [user(...points(5))] }, 'us-east-2');
    expect(err.name).toBe('ValidationException');
    expect(err.message).toMatch(/5/);
  });
  it('names the TTL a model does not take', async () => {
    const err = await refused({ modelId: SONNET_37, system: [text(ofTokens(1100)), cachePoint('1h')], messages: [user(text('Hi'))] }, 'us-east-2');
    expect(err.message).toContain('1h');
    expect(err.message).toContain('5m');
  });
  it('writes each checkpoint once, reads the longest cached one, and counts input apart from the cache', async () => {
    // Checkpoints after 1,100 tokens (system) and after 1,100 + 1,200 (in the message); 1 more token after them.
    const request = { modelId: SONNET_37, system: [text(ofTokens(1100)), cachePoint()], messages: [user(text(ofTokens(1200)), cachePoint(), text('Why?'))] };
    const first = await send(request, 'us-west-2');
    expect(first.usage).toMatchObject({ inputTokens: 1, cacheReadInputTokens: 0, cacheWriteInputTokens: 2300, cacheDetails: [{ ttl: '5m', inputTokens: 2300 }] });
    expect(first.usage!.totalTokens).toBe(1 + first.usage!.outputTokens! + 2300);
    const again = await send(request, 'us-west-2');
    expect(again.usage).toMatchObject({ inputTokens: 1, cacheReadInputTokens: 2300, cacheWriteInputTokens: 0 });
    // A prefix of the same length with other text is another prefix (the README: a prefix edited in the middle misses).
    const edited = { ...request, messages: [user(text(ofTokens(1200, 'xyz ')), cachePoint(), text('Why?'))] };
    expect((await send(edited, 'us-west-2')).usage).toMatchObject({ cacheReadInputTokens: 1100, cacheWriteInputTokens: 1200 });
    // The same prefix on another model is not in its cache.
    const other = await send({ ...request, modelId: SONNET_45 }, 'us-west-2');
    expect(other.usage).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: 2300 });
  });
  it('reports writes per TTL, 1h before 5m', async () => {
    const request = { modelId: SONNET_45, system: [text(ofTokens(1100, 'xyz ')), cachePoint('1h')], messages: [user(text(ofTokens(1200, 'xyz ')), cachePoint('5m'), text('Why?'))] };
    const first = await send(request, 'us-east-1');
    expect(first.usage!.cacheDetails).toEqual([{ ttl: '1h', inputTokens: 1100 }, { ttl: '5m', inputTokens: 1200 }]);
    const reversed = { modelId: SONNET_45, system: [text(ofTokens(1100, 'uvw ')), cachePoint('5m')], messages: [user(text(ofTokens(1200, 'uvw ')), cachePoint('1h'), text('Why?'))] };
    expect((await send(reversed, 'us-east-1')).usage!.cacheDetails).toEqual([{ ttl: '1h', inputTokens: 1200 }, { ttl: '5m', inputTokens: 1100 }]);
  });
});

describe('ConverseStream events', () => {
  it('open with messageStart, close each block with contentBlockStop, end with messageStop and metadata', async () => {
    const events = await stream({ modelId: HAIKU, messages: [user(text('Weather?'))], toolConfig: { tools: [WEATHER, TIME], toolChoice: { any: {} } } });
    expect(events[0]).toEqual({ messageStart: { role: 'assistant' } });
    const names = events.map((e) => Object.keys(e).filter((k) => (e as unknown as Record<string, unknown>)[k] !== undefined)[0]);
    expect(names).toEqual(['messageStart', 'contentBlockStart', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata']);
    expect(events[3].contentBlockStop).toEqual({ contentBlockIndex: 0 });
    expect(events[4].messageStop!.stopReason).toBe('tool_use');
    const { usage } = events[5].metadata!;
    expect(usage!.totalTokens).toBe(usage!.inputTokens! + usage!.outputTokens!);
  });
  it('streams a redacted thinking block as redactedContent', async () => {
    // Anthropic's documented trigger string for a redacted thinking block.
    const trigger = 'ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253D5E2D82641AC0E52CC2876CB';
    const events = await stream({ modelId: SONNET_37, messages: [user(text(trigger))], inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: THINK });
    const first = events.find((e) => e.contentBlockDelta)!.contentBlockDelta!;
    expect(first.contentBlockIndex).toBe(0);
    expect(first.delta!.reasoningContent!.redactedContent).toBeInstanceOf(Uint8Array);
    const stops = events.filter((e) => e.contentBlockStop).map((e) => e.contentBlockStop!.contentBlockIndex);
    expect(stops).toEqual([0, 1]);
  });
});
