// Mistral AI, checked against AWS's text-completion and chat-completion pages: {prompt} → {outputs: [{text,
// stop_reason}]} on every model, {messages} → {choices: [{index, message, stop_reason}]} on Large and Small, within
// each model's max_tokens and cut at stop sequences; invalid bodies get a ValidationException and nothing else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mistralChat, mistralPrompt } from '../../src/fake-models/mistral.js';
import { countTokens } from '../../src/fake-models/tokens.js';
import { fixture, form, invalid, unit, validationMessage } from './helpers.js';

// max_tokens ceilings from AWS's table; Large and Small speak both formats.
const MAX_TOKENS: Record<string, number> = {
  'mistral.mistral-7b-instruct-v0:2': 8192,
  'mistral.mixtral-8x7b-instruct-v0:1': 4096,
  'mistral.mistral-large-2402-v1:0': 8192,
  'mistral.mistral-small-2402-v1:0': 8192,
  'mistral.mistral-large-2407-v1:0': 8192,
};
const ALL = Object.keys(MAX_TOKENS);
const CHAT = ALL.filter((id) => /large|small/.test(id));
// A body's keys pick its format, so neither format's main key counts as unknown in the other.
const FORMAT_KEYS = ['prompt', 'messages'];
const text = fc.string({ minLength: 1, maxLength: 200 });

const promptBody = fc.record(
  {
    prompt: text,
    max_tokens: fc.integer({ min: 1, max: 4096 }),
    stop: fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 10 }),
    temperature: unit,
    top_p: unit,
    top_k: fc.integer({ min: 1, max: 200 }),
  },
  { requiredKeys: ['prompt'] },
);

const tool = fc.record({ type: fc.constant('function'), function: fc.record({ name: fc.stringMatching(/^[a-z_]{1,20}$/), description: text }) });
const chatBody = fc.record(
  {
    // Turns alternate and end with the user; a system message may lead.
    messages: fc
      .tuple(fc.option(text, { nil: undefined }), fc.array(text, { minLength: 1, maxLength: 4 }))
      .map(([system, turns]) => [
        ...(system === undefined ? [] : [{ role: 'system', content: system }]),
        ...turns.map((content, i) => ({ role: (turns.length - 1 - i) % 2 ? 'assistant' : 'user', content })),
      ]),
    tools: fc.array(tool, { minLength: 1, maxLength: 3 }),
    tool_choice: fc.constantFrom('auto', 'any', 'none'),
    max_tokens: fc.integer({ min: 1, max: 8192 }),
    temperature: unit,
    top_p: unit,
  },
  { requiredKeys: ['messages'] },
);

function checkOutputs(o: any, body: { max_tokens?: number; stop?: string[] }, limit: number) {
  expect(Object.keys(o)).toEqual(['outputs']);
  expect(o.outputs).toHaveLength(1);
  expect(Object.keys(o.outputs[0]).sort()).toEqual(['stop_reason', 'text']);
  expect(typeof o.outputs[0].text).toBe('string');
  expect(['stop', 'length']).toContain(o.outputs[0].stop_reason);
  expect(countTokens(o.outputs[0].text)).toBeLessThanOrEqual(body.max_tokens ?? limit);
  for (const s of body.stop ?? []) expect(o.outputs[0].text).not.toContain(s);
}

function checkChoices(o: any, body: { max_tokens?: number }) {
  expect(Object.keys(o)).toEqual(['choices']);
  expect(o.choices).toHaveLength(1);
  const [choice] = o.choices;
  expect(choice.index).toBe(0);
  expect(choice.message.role).toBe('assistant');
  expect(typeof choice.message.content).toBe('string');
  expect(['stop', 'length', 'tool_calls']).toContain(choice.stop_reason);
  if (choice.stop_reason === 'tool_calls') {
    expect(choice.message.tool_calls.length).toBeGreaterThan(0);
    for (const call of choice.message.tool_calls) {
      expect(typeof call.id).toBe('string');
      expect(typeof call.function.name).toBe('string');
      expect(() => JSON.parse(call.function.arguments)).not.toThrow();
    }
  } else {
    expect(countTokens(choice.message.content)).toBeLessThanOrEqual(body.max_tokens ?? 8192);
  }
}

const BAD_PROMPT: Record<string, unknown[]> = {
  prompt: [1, null, [], ''],
  max_tokens: [0, 8193, 2.5, '10'],
  stop: ['###', [1], Array(11).fill('x')],
  temperature: [-0.5, 1.5, 'hot'],
  top_p: [1.1, -1, {}],
  top_k: [0, 201, 1.5],
};
const BAD_CHAT: Record<string, unknown[]> = {
  messages: ['hi', [], [{ content: 'no role' }], [{ role: 'robot', content: 'x' }], [{ role: 'user', content: 3 }], [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y' }]],
  tools: [{}, [{ type: 'function' }], [{ type: 'retrieval', function: { name: 'x' } }]],
  tool_choice: ['required', 1],
  max_tokens: [0, 8193],
  temperature: [2],
  top_p: [-0.1],
};

describe.each([
  ['mistralPrompt', mistralPrompt],
  ['mistralChat', mistralChat],
])('%s', (_, family) => {
  it('answers every prompt body on every model in the text-completion shape, within max_tokens and before stop sequences', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL), promptBody, (modelId, body) => {
        const out = family.invoke(body, { modelId });
        checkOutputs(out.body, body, MAX_TOKENS[modelId]);
        expect(out.outputTokens).toBe(countTokens((out.body as any).outputs[0].text));
        expect(out.inputTokens).toBe(countTokens(body.prompt));
        expect(family.invoke(structuredClone(body), { modelId }).body).toEqual(out.body);
      }),
    );
  });

  it('answers every chat body on Large and Small in the chat-completion shape', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CHAT), chatBody, (modelId, body) => {
        const out = family.invoke(body, { modelId });
        checkChoices(out.body, body);
        expect(family.invoke(structuredClone(body), { modelId }).body).toEqual(out.body);
        const forced = body.tool_choice === 'any' && body.tools;
        expect((out.body as any).choices[0].stop_reason === 'tool_calls').toBe(Boolean(forced));
      }),
    );
  });

  it('rejects invalid bodies with a ValidationException only', () => {
    fc.assert(fc.property(fc.constantFrom(...ALL), invalid(promptBody, 'prompt', BAD_PROMPT, FORMAT_KEYS), (modelId, body) => void validationMessage(() => family.invoke(body, { modelId }))));
    fc.assert(fc.property(fc.constantFrom(...CHAT), invalid(chatBody, 'messages', BAD_CHAT, FORMAT_KEYS), (modelId, body) => void validationMessage(() => family.invoke(body, { modelId }))));
    fc.assert(fc.property(invalid(promptBody, 'prompt', BAD_PROMPT, FORMAT_KEYS), (body) => void validationMessage(() => family.stream!(body, { modelId: ALL[0] }))), { numRuns: 30 });
  });

  it('streams the text it answers whole, with the stop reason on the last chunk only', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CHAT), fc.oneof(promptBody, chatBody), (modelId, body) => {
        const whole = family.invoke(body, { modelId }).body as any;
        const events = family.stream!(body, { modelId }).events as any[];
        const parts = events.map((e) => e.outputs?.[0] ?? e.choices[0]);
        const textOf = (p: any) => p.text ?? p.message.content;
        const answer = whole.outputs?.[0] ?? whole.choices[0];
        expect(parts.map(textOf).join('')).toBe(textOf(answer));
        expect(parts.slice(0, -1).every((p) => p.stop_reason === null)).toBe(true);
        expect(parts.at(-1).stop_reason).toBe(answer.stop_reason);
      }),
      { numRuns: 50 },
    );
  });
});

describe('mistral limits and formats', () => {
  const modelId = 'mistral.mistral-7b-instruct-v0:2';

  it("bounds max_tokens by each model's ceiling", () => {
    for (const [id, max] of Object.entries(MAX_TOKENS)) {
      expect(() => mistralPrompt.invoke({ prompt: 'x', max_tokens: max }, { modelId: id })).not.toThrow();
      expect(validationMessage(() => mistralPrompt.invoke({ prompt: 'x', max_tokens: max + 1 }, { modelId: id }))).toBe(form(`#/max_tokens: ${max + 1} is not less or equal to ${max}`));
    }
  });

  it('stops with "length" at max_tokens and with "stop" at a stop sequence', () => {
    const short = mistralPrompt.invoke({ prompt: '<s>[INST] Tell me everything [/INST]', max_tokens: 2 }, { modelId }).body as any;
    expect(short.outputs[0].stop_reason).toBe('length');
    fc.assert(
      fc.property(text, fc.integer({ min: 8, max: 500 }), (prompt, max_tokens) => {
        // Any answer of two words or more holds a space, so " " always cuts it to its first word.
        const out = mistralPrompt.invoke({ prompt, max_tokens, stop: [' '] }, { modelId }).body as any;
        expect(out.outputs[0].stop_reason).toBe('stop');
        expect(out.outputs[0].text).not.toContain(' ');
      }),
      { numRuns: 50 },
    );
  });

  it('answers the format the body names where the model has it, and the family format otherwise', () => {
    const chat = { messages: [{ role: 'user', content: 'hi' }] };
    expect(mistralPrompt.invoke(chat, { modelId: 'mistral.mistral-large-2402-v1:0' }).body).toHaveProperty('choices');
    expect(mistralChat.invoke({ prompt: 'hi' }, { modelId: 'mistral.mistral-large-2407-v1:0' }).body).toHaveProperty('outputs');
    expect(validationMessage(() => mistralPrompt.invoke(chat, { modelId }))).toBe(form('#: required key [prompt] not found'));
    expect(validationMessage(() => mistralPrompt.invoke({}, { modelId }))).toBe(form('#: required key [prompt] not found'));
    expect(validationMessage(() => mistralChat.invoke({}, { modelId: 'mistral.mistral-large-2407-v1:0' }))).toBe(form('#: required key [messages] not found'));
  });

  it("passes Mistral's own last-role check through", () => {
    const body = { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] };
    expect(validationMessage(() => mistralChat.invoke(body, { modelId: 'mistral.mistral-large-2407-v1:0' }))).toBe(
      'Expected last role User or Tool (or Assistant with prefix True) for serving but got assistant',
    );
  });

  it('answers a tool result turn after a forced tool call', () => {
    const modelId2407 = 'mistral.mistral-large-2407-v1:0';
    const tools = [{ type: 'function', function: { name: 'top_song', description: 'Most popular song on a station', parameters: { type: 'object' } } }];
    const first = mistralChat.invoke({ messages: [{ role: 'user', content: 'What is on WZPZ?' }], tools, tool_choice: 'any' }, { modelId: modelId2407 }).body as any;
    const call = first.choices[0].message.tool_calls[0];
    expect(call.function.name).toBe('top_song');
    const next = mistralChat.invoke(
      {
        messages: [
          { role: 'user', content: 'What is on WZPZ?' },
          { role: 'assistant', content: '', tool_calls: [call] },
          { role: 'tool', tool_call_id: call.id, content: '{"song": "Elemental Hotel"}' },
        ],
        tools,
      },
      { modelId: modelId2407 },
    ).body as any;
    checkChoices(next, {});
    expect(next.choices[0].stop_reason).not.toBe('tool_calls');
  });

  it('rejects a key the chat body does not have', () => {
    const body = { messages: [{ role: 'user', content: 'hi' }], stop: ['x'] };
    expect(validationMessage(() => mistralChat.invoke(body, { modelId: 'mistral.mistral-large-2407-v1:0' }))).toBe(form('#: extraneous key [stop] is not permitted'));
  });

  it('answers different prompts differently', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        fc.pre(a !== b);
        const call = (prompt: string) => mistralPrompt.invoke({ prompt, max_tokens: 200 }, { modelId }).body;
        expect(call(a)).not.toEqual(call(b));
      }),
    );
  });
});

describe('fixtures/sample-mistral-*.jsonl', () => {
  it('hold five records each, answered by every model that speaks their format', () => {
    const [prompts, chats] = [fixture('mistral-prompt'), fixture('mistral-chat')];
    expect([prompts.length, chats.length]).toEqual([5, 5]);
    for (const modelId of ALL) for (const body of prompts) checkOutputs(mistralPrompt.invoke(body, { modelId }).body, body, MAX_TOKENS[modelId]);
    for (const modelId of CHAT) for (const body of chats) checkChoices(mistralChat.invoke(body, { modelId }).body, body);
  });
});
