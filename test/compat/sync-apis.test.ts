// The runtime host's OpenAI Chat Completions, OpenAI Responses and Anthropic Messages APIs, driven by the official
// `openai` and `@anthropic-ai/sdk` SDKs over a real port: shapes, streams, token limits, tools, errors, and the
// same text as Converse for the same conversation. Properties draw from COMPAT_SEED (in the test names), so
// `COMPAT_SEED=<seed> npx vitest run test/compat/sync-apis.test.ts` replays a failure.
import Anthropic from '@anthropic-ai/sdk';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import fc from 'fast-check';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';

const SEED = Number(process.env.COMPAT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const GPT = 'openai.gpt-oss-20b-1:0';
const CLAUDE = 'global.anthropic.claude-opus-5';
const KEY = 'bedrock-api-key-anything'; // keys are only checked in strict mode

let emu: EmulatorHandle;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  // AWS's examples are all us-west-2; API-key requests carry no region, so they use the default one.
  emu = await startEmulator({ region: 'us-west-2', defaultRegion: 'us-west-2' });
  openai = new OpenAI({ baseURL: emu.openaiBaseURL, apiKey: KEY, maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: emu.anthropicBaseURL, apiKey: KEY, maxRetries: 0 });
});
afterAll(() => emu.stop());

const WORDS = ['hello', 'batch', 'summarize', 'the', 'weather', 'in', 'Paris', 'please', 'sky', 'é', '漢字'];
const prompt = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 }).map((w) => w.join(' '));
const params = { seed: SEED, numRuns: 15 };

async function converseText(modelId: string, text: string, maxTokens: number, system?: string) {
  const out = await emu.clients.bedrockRuntime.send(
    new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text }] }], inferenceConfig: { maxTokens }, ...(system ? { system: [{ text: system }] } : {}) }),
  );
  return { text: out.output!.message!.content!.map((b) => b.text ?? '').join(''), stopReason: out.stopReason, usage: out.usage! };
}

describe('Chat Completions (POST /openai/v1/chat/completions)', () => {
  it("runs AWS's documented example: a chat.completion with OpenAI's fields", async () => {
    const completion = await openai.chat.completions.create({
      model: GPT,
      messages: [
        { role: 'developer', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Hello!' },
      ],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.model).toBe(GPT);
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0].message.role).toBe('assistant');
    expect(completion.choices[0].message.content!.length).toBeGreaterThan(0);
    expect(completion.choices[0].finish_reason).toBe('stop');
    const u = completion.usage!;
    expect(u.total_tokens).toBe(u.prompt_tokens + u.completion_tokens);
  });

  it(`gives Converse's text and limits for the same conversation, whole and streamed (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(prompt, fc.integer({ min: 1, max: 120 }), fc.boolean(), async (text, max, useOld) => {
        const expected = await converseText(GPT, text, max, 'Be brief.');
        const limit = useOld ? { max_tokens: max } : { max_completion_tokens: max };
        const messages = [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: text }];
        const whole = await openai.chat.completions.create({ model: GPT, messages, ...limit });
        expect(whole.choices[0].message.content).toBe(expected.text);
        expect(whole.usage!.completion_tokens).toBe(expected.usage.outputTokens);
        expect(whole.usage!.completion_tokens).toBeLessThanOrEqual(max);
        expect(whole.usage!.prompt_tokens).toBe(expected.usage.inputTokens);
        expect(whole.choices[0].finish_reason).toBe(expected.stopReason === 'max_tokens' ? 'length' : 'stop');

        const stream = await openai.chat.completions.create({ model: GPT, messages, ...limit, stream: true, stream_options: { include_usage: true } });
        let streamed = '';
        let finish: string | null = null;
        let usage: OpenAI.CompletionUsage | undefined;
        let first = true;
        for await (const chunk of stream) {
          expect(chunk.object).toBe('chat.completion.chunk');
          if (first) expect(chunk.choices[0].delta.role).toBe('assistant');
          first = false;
          streamed += chunk.choices[0]?.delta.content ?? '';
          finish = chunk.choices[0]?.finish_reason ?? finish;
          usage = chunk.usage ?? usage;
        }
        expect(streamed).toBe(expected.text);
        expect(finish).toBe(whole.choices[0].finish_reason);
        expect(usage).toEqual(whole.usage);
      }),
      params,
    );
  });

  it('ends the SSE stream with data: [DONE]', async () => {
    const res = await fetch(`${emu.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: GPT, messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const body = await res.text();
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it("answers a tool call in OpenAI's shape and takes the tool's result back", async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
    ];
    const first = await openai.chat.completions.create({ model: GPT, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools, tool_choice: 'required' });
    const call = first.choices[0].message.tool_calls?.[0];
    expect(first.choices[0].finish_reason).toBe('tool_calls');
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') throw new Error('no function call');
    expect(call.function.name).toBe('get_weather');
    expect(typeof JSON.parse(call.function.arguments)).toBe('object');
    const second = await openai.chat.completions.create({
      model: GPT,
      tools,
      messages: [{ role: 'user', content: 'Weather in Paris?' }, first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: '{"temp": 21}' }],
    });
    expect(second.choices[0].finish_reason).toBe('stop');
    expect(second.choices[0].message.tool_calls).toBeUndefined();
  });

  it('streams a tool call as tool_calls deltas', async () => {
    const stream = await openai.chat.completions.create({
      model: GPT,
      stream: true,
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const calls: OpenAI.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      calls.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe('tool_calls');
    expect(calls[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'get_weather' } });
    expect(typeof JSON.parse(calls.map((c) => c.function?.arguments ?? '').join(''))).toBe('object');
  });

  it.each([
    ['an unknown model', { model: 'openai.gpt-9', messages: [{ role: 'user', content: 'x' }] }, 400, 'validation_error', 'The provided model identifier is invalid.'],
    ['a model the API does not serve', { model: CLAUDE, messages: [{ role: 'user', content: 'x' }] }, 400, 'validation_error', `The model '${CLAUDE}' does not support the '/v1/chat/completions' API`],
    ['no messages', { model: GPT }, 400, 'missing_required_parameter', "Missing required parameter: 'messages'."],
    ['a bad role', { model: GPT, messages: [{ role: 'robot', content: 'x' }] }, 400, 'invalid_value', undefined],
    ['max_tokens 0', { model: GPT, messages: [{ role: 'user', content: 'x' }], max_tokens: 0 }, 400, 'invalid_value', undefined],
  ])("refuses %s with OpenAI's error body", async (_what, body, status, code, message) => {
    const err = await openai.chat.completions.create(body as never).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const e = err as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(status);
    expect(e.error).toMatchObject({ type: 'invalid_request_error', code });
    expect(Object.keys(e.error as object).sort()).toEqual(['code', 'message', 'param', 'type']);
    if (message) expect((e.error as { message: string }).message).toContain(message);
  });

  it('answers a model missing from the region (gpt-oss is not offered in sa-east-1) with a validation error', async () => {
    const east = await fetch(`${emu.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      // SigV4-style credential scope names the region (its signature is only checked in strict mode).
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/sa-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=00', 'content-type': 'application/json' },
      body: JSON.stringify({ model: GPT, messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(east.status).toBe(400);
    expect((await east.json()).error.message).toContain('sa-east-1');
  });

  it('applies scripts and injected faults, as Converse does', async () => {
    await fetch(`${emu.endpoints.bedrockRuntime}/_emulator/scripts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ modelId: GPT, match: 'scripted please', response: { text: 'Canned answer.' } }) });
    const scripted = await openai.chat.completions.create({ model: GPT, messages: [{ role: 'user', content: 'scripted please' }] });
    expect(scripted.choices[0].message.content).toBe('Canned answer.');
    await fetch(`${emu.endpoints.bedrockRuntime}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ modelId: GPT, errorType: 'ThrottlingException', rate: 1 }) });
    try {
      const err = await openai.chat.completions.create({ model: GPT, messages: [{ role: 'user', content: 'x' }] }).then(() => undefined, (e: unknown) => e);
      expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
      expect((err as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    } finally {
      await emu.reset();
    }
  });
});

describe('Responses (POST /openai/v1/responses)', () => {
  it(`gives Converse's text, usage and incomplete status at max_output_tokens, whole and streamed (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(prompt, fc.integer({ min: 16, max: 120 }), async (text, max) => {
        const expected = await converseText(GPT, text, max, 'Answer in English.');
        const response = await openai.responses.create({ model: GPT, instructions: 'Answer in English.', input: text, max_output_tokens: max });
        expect(response.object).toBe('response');
        expect(response.output_text).toBe(expected.text);
        expect(response.usage).toMatchObject({ input_tokens: expected.usage.inputTokens, output_tokens: expected.usage.outputTokens });
        expect(response.status).toBe(expected.stopReason === 'max_tokens' ? 'incomplete' : 'completed');
        if (response.status === 'incomplete') expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });

        const stream = await openai.responses.create({ model: GPT, instructions: 'Answer in English.', input: text, max_output_tokens: max, stream: true });
        const types: string[] = [];
        let deltas = '';
        for await (const event of stream) {
          types.push(event.type);
          if (event.type === 'response.output_text.delta') deltas += event.delta;
        }
        expect(types[0]).toBe('response.created');
        expect(types.at(-1)).toBe(response.status === 'completed' ? 'response.completed' : 'response.incomplete');
        expect(deltas).toBe(expected.text);
      }),
      params,
    );
  });

  it('returns function calls as output items and takes function_call_output back', async () => {
    const tools: OpenAI.Responses.FunctionTool[] = [{ type: 'function', name: 'lookup', parameters: { type: 'object', properties: {} }, strict: false }];
    const first = await openai.responses.create({ model: GPT, input: 'Look it up', tools, tool_choice: 'required' });
    const call = first.output.find((o) => o.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'lookup' });
    if (call?.type !== 'function_call') throw new Error('no call');
    const second = await openai.responses.create({
      model: GPT,
      tools,
      input: [{ role: 'user', content: 'Look it up' }, call, { type: 'function_call_output', call_id: call.call_id, output: 'found' }],
    });
    expect(second.output.some((o) => o.type === 'function_call')).toBe(false);
    expect(second.output_text.length).toBeGreaterThan(0);
  });

  it('takes structured-output formats (Chat response_format, Responses text.format) and echoes the format', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const chat = await openai.chat.completions.create({ model: GPT, messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_schema', json_schema: { name: 'reply', schema } } });
    expect(chat.object).toBe('chat.completion');
    const response = await openai.responses.create({ model: GPT, input: 'x', text: { format: { type: 'json_schema', name: 'reply', schema, strict: true } } });
    expect(response.text?.format).toEqual({ type: 'json_schema', name: 'reply', schema, strict: true });
  });

  it('refuses background mode and previous_response_id (the runtime host is synchronous and stores nothing)', async () => {
    for (const extra of [{ background: true }, { previous_response_id: 'resp_123' }]) {
      const err = await openai.responses.create({ model: GPT, input: 'x', ...extra }).then(() => undefined, (e: unknown) => e);
      expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
      expect((err as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'invalid_request_error', param: Object.keys(extra)[0] });
    }
  });
});

describe('Messages (POST /anthropic/v1/messages)', () => {
  it("runs AWS's quickstart (global.anthropic.claude-opus-5, key as x-api-key): a message with Anthropic's fields", async () => {
    const message = await anthropic.messages.create({ model: CLAUDE, max_tokens: 1000, messages: [{ role: 'user', content: 'Hello, world' }] });
    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.id).toMatch(/^msg_bdrk_/);
    expect(message.content[0].type).toBe('text');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.input_tokens).toBeGreaterThan(0);
  });

  it(`gives Converse's text, usage and stop reason, whole and streamed (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(prompt, fc.integer({ min: 1, max: 120 }), async (text, max) => {
        const expected = await converseText(CLAUDE, text, max, 'Be kind.');
        const message = await anthropic.messages.create({ model: CLAUDE, max_tokens: max, system: 'Be kind.', messages: [{ role: 'user', content: text }] });
        const said = message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
        expect(said).toBe(expected.text);
        expect(message.usage.output_tokens).toBe(expected.usage.outputTokens);
        expect(message.usage.output_tokens).toBeLessThanOrEqual(max);
        expect(message.stop_reason).toBe(expected.stopReason);

        const events: string[] = [];
        const stream = anthropic.messages.stream({ model: CLAUDE, max_tokens: max, system: 'Be kind.', messages: [{ role: 'user', content: text }] });
        stream.on('streamEvent', (e) => events.push(e.type));
        const final = await stream.finalMessage();
        expect(final.content).toEqual(message.content);
        expect(final.stop_reason).toBe(message.stop_reason);
        expect(final.usage.output_tokens).toBe(message.usage.output_tokens);
        expect(events[0]).toBe('message_start');
        expect(events.slice(-2)).toEqual(['message_delta', 'message_stop']);
      }),
      params,
    );
  });

  it('stops at a stop sequence and names it', async () => {
    // Every answer of more than one word has a space.
    const cut = await anthropic.messages.create({ model: CLAUDE, max_tokens: 200, stop_sequences: [' '], messages: [{ role: 'user', content: 'stop test' }] });
    expect(cut.stop_reason).toBe('stop_sequence');
    expect(cut.stop_sequence).toBe(' ');
    expect((cut.content[0] as { text: string }).text).not.toContain(' ');
  });

  it("answers a forced tool in Anthropic's shape, streamed as input_json_delta", async () => {
    const tools: Anthropic.Tool[] = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }];
    const message = await anthropic.messages.create({ model: CLAUDE, max_tokens: 300, tools, tool_choice: { type: 'tool', name: 'get_weather' }, messages: [{ role: 'user', content: 'Paris?' }] });
    const use = message.content.find((b) => b.type === 'tool_use');
    expect(message.stop_reason).toBe('tool_use');
    expect(use).toMatchObject({ type: 'tool_use', name: 'get_weather' });
    expect(use?.type === 'tool_use' && use.id).toMatch(/^tooluse_/);
    const streamed = await anthropic.messages.stream({ model: CLAUDE, max_tokens: 300, tools, tool_choice: { type: 'tool', name: 'get_weather' }, messages: [{ role: 'user', content: 'Paris?' }] }).finalMessage();
    expect(streamed.content.find((b) => b.type === 'tool_use')).toMatchObject({ type: 'tool_use', name: 'get_weather' });
    if (use?.type !== 'tool_use') throw new Error('no tool use');
    const after = await anthropic.messages.create({
      model: CLAUDE,
      max_tokens: 300,
      tools,
      messages: [
        { role: 'user', content: 'Paris?' },
        { role: 'assistant', content: message.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '21 degrees' }] },
      ],
    });
    expect(after.stop_reason).toBe('end_turn');
  });

  it.each([
    ['a model that is not Claude', { model: GPT, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }, 400, 'invalid_request_error', `The model '${GPT}' does not support the Anthropic Messages API`],
    ["a profile-only model's plain id", { model: 'anthropic.claude-opus-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }, 400, 'invalid_request_error', 'inference profile'],
    ['no max_tokens', { model: CLAUDE, messages: [{ role: 'user', content: 'x' }] }, 400, 'invalid_request_error', "'max_tokens'"],
    ['an unknown block type', { model: CLAUDE, max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'video' }] }] }, 400, 'invalid_request_error', 'messages.0.content'],
  ])("refuses %s with Anthropic's error body", async (_what, body, status, type, message) => {
    const err = await anthropic.messages.create(body as never).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    const e = err as InstanceType<typeof Anthropic.APIError>;
    expect(e.status).toBe(status);
    expect(e.error).toMatchObject({ type: 'error', error: { type } });
    expect((e.error as { error: { message: string } }).error.message).toContain(message);
  });

  it('answers an unknown path under /anthropic with a not_found_error in its own form', async () => {
    const res = await fetch(`${emu.anthropicBaseURL}/v1/complete`, { method: 'POST', headers: { 'x-api-key': KEY }, body: '{}' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});
