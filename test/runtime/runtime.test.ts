import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/emulator/config.js';
import { startServer, type RunningEmulator } from '../../src/emulator/server.js';

let server: RunningEmulator;
const dir = mkdtempSync(join(tmpdir(), 'bbe-runtime-'));

beforeAll(async () => {
  server = await startServer({ ...DEFAULT_CONFIG, port: 0, s3Port: 0, dataDir: dir });
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

// The SDK's default request handler: HTTP/2 (h2c on http://).
const client = (region = 'us-east-1', maxAttempts = 1) =>
  new BedrockRuntimeClient({ endpoint: server.endpoint, region, maxAttempts, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const decode = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b));
const admin = (path: string, body?: unknown, method = 'POST') =>
  fetch(`${server.endpoint}/_emulator/${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

const FAMILY_BODIES: [string, string, unknown, (out: any) => void][] = [
  ['us-east-1', 'anthropic.claude-3-haiku-20240307-v1:0', { anthropic_version: 'bedrock-2023-05-31', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] }, (o) => expect(o.content[0].type).toBe('text')],
  ['us-east-1', 'anthropic.claude-v2:1', { prompt: '\n\nHuman: Hi\n\nAssistant:', max_tokens_to_sample: 50 }, (o) => expect(typeof o.completion).toBe('string')],
  ['us-east-1', 'amazon.titan-text-express-v1', { inputText: 'Hi', textGenerationConfig: { maxTokenCount: 20 } }, (o) => expect(o.results[0].tokenCount).toBeLessThanOrEqual(20)],
  ['us-east-1', 'amazon.titan-embed-text-v2:0', { inputText: 'Hi', dimensions: 256 }, (o) => expect(o.embedding).toHaveLength(256)],
  ['us-east-1', 'amazon.nova-lite-v1:0', { messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { max_new_tokens: 30 } }, (o) => expect(o.output.message.role).toBe('assistant')],
  ['us-west-2', 'meta.llama3-1-70b-instruct-v1:0', { prompt: 'Hi', max_gen_len: 30 }, (o) => expect(typeof o.generation).toBe('string')],
  ['us-east-1', 'mistral.mistral-7b-instruct-v0:2', { prompt: '<s>[INST] Hi [/INST]', max_tokens: 30 }, (o) => expect(o.outputs[0].text).toBeTypeOf('string')],
  ['us-west-2', 'mistral.mistral-large-2407-v1:0', { messages: [{ role: 'user', content: 'Hi' }] }, (o) => expect(o.choices[0].message.role).toBe('assistant')],
  ['us-east-1', 'cohere.command-r-v1:0', { message: 'Hi' }, (o) => expect(o.text).toBeTypeOf('string')],
  ['us-east-1', 'cohere.embed-english-v3', { texts: ['a', 'b'], input_type: 'search_document' }, (o) => expect(o.embeddings).toHaveLength(2)],
  ['us-east-1', 'ai21.j2-mid-v1', { prompt: 'Hi', maxTokens: 20 }, (o) => expect(o.completions[0].data.text).toBeTypeOf('string')],
  ['us-east-1', 'ai21.jamba-1-5-mini-v1:0', { messages: [{ role: 'user', content: 'Hi' }] }, (o) => expect(o.choices[0].message.content).toBeTypeOf('string')],
  ['us-east-1', 'stability.stable-diffusion-xl-v1', { text_prompts: [{ text: 'a cat' }] }, (o) => expect(Buffer.from(o.artifacts[0].base64, 'base64').subarray(1, 4).toString()).toBe('PNG')],
];

describe('InvokeModel over HTTP/2 with the official client', () => {
  it.each(FAMILY_BODIES)('%s %s', async (region, modelId, body, check) => {
    const out = await client(region).send(new InvokeModelCommand({ modelId, body: json(body), contentType: 'application/json', accept: 'application/json' }));
    check(decode(out.body));
    expect(out.contentType).toBe('application/json');
    expect(out.$metadata.requestId).toBeTruthy();
    // Deterministic: the same request answers the same body.
    const again = await client(region).send(new InvokeModelCommand({ modelId, body: json(body) }));
    expect(decode(again.body)).toEqual(decode(out.body));
  });

  it('rejects an invalid body with the model family’s ValidationException', async () => {
    const err = await client().send(new InvokeModelCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', body: json({ anthropic_version: 'bedrock-2023-05-31', messages: [] }) })).catch((e) => e);
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe('Malformed input request: #: required key [max_tokens] not found, please reformat your input and try again.');
    const malformed = await client().send(new InvokeModelCommand({ modelId: 'amazon.titan-text-lite-v1', body: new TextEncoder().encode('{nope') })).catch((e) => e);
    expect(malformed.name).toBe('ValidationException');
  });

  it('applies the region and profile rules', async () => {
    const body = json({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 5, messages: [{ role: 'user', content: 'Hi' }] });
    const opus = await client('eu-west-1').send(new InvokeModelCommand({ modelId: 'anthropic.claude-3-opus-20240229-v1:0', body })).catch((e) => e);
    expect(opus.name).toBe('ValidationException');
    expect(opus.message).toContain('us-east-1, us-west-2');
    const direct = await client('us-east-1').send(new InvokeModelCommand({ modelId: 'anthropic.claude-3-7-sonnet-20250219-v1:0', body })).catch((e) => e);
    expect(direct.message).toMatch(/^Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand throughput isn’t supported/);
    expect(direct.message).toContain('us.anthropic.claude-3-7-sonnet-20250219-v1:0');
    const viaProfile = await client('us-east-1').send(new InvokeModelCommand({ modelId: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0', body }));
    expect(decode(viaProfile.body).type).toBe('message');
    const arn = 'arn:aws:bedrock:us-east-2:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0';
    expect((await client('us-east-2').send(new InvokeModelCommand({ modelId: arn, body }))).$metadata.httpStatusCode).toBe(200);
    const wrongSource = await client('eu-west-1').send(new InvokeModelCommand({ modelId: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0', body })).catch((e) => e);
    expect(wrongSource.name).toBe('ValidationException');
  });
});

describe('streams', () => {
  it('InvokeModelWithResponseStream sends Anthropic events in chunk frames, with invocation metrics last', async () => {
    const out = await client().send(new InvokeModelWithResponseStreamCommand({
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      body: json({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 40, messages: [{ role: 'user', content: 'Tell me' }] }),
    }));
    const events: any[] = [];
    for await (const e of out.body!) events.push(decode(e.chunk!.bytes!));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['message_start', 'content_block_delta', 'message_delta', 'message_stop']));
    expect(events[0].type).toBe('message_start');
    expect(events.at(-1)['amazon-bedrock-invocationMetrics'].outputTokenCount).toBeGreaterThan(0);
    const text = events.filter((e) => e.type === 'content_block_delta').map((e) => e.delta.text).join('');
    const whole = await client().send(new InvokeModelCommand({
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      body: json({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 40, messages: [{ role: 'user', content: 'Tell me' }] }),
    }));
    expect(text).toBe(decode(whole.body).content[0].text);
  });

  it('ConverseStream sends the union events in order', async () => {
    const out = await client().send(new ConverseStreamCommand({ modelId: 'amazon.nova-micro-v1:0', messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }));
    const names: string[] = [];
    for await (const e of out.stream!) names.push(Object.keys(e).filter((k) => (e as any)[k] !== undefined)[0]);
    expect(names[0]).toBe('messageStart');
    expect(names.slice(-3)).toEqual(['contentBlockStop', 'messageStop', 'metadata']);
  });
});

describe('Converse and CountTokens', () => {
  it('answers Converse with output, stopReason, usage and metrics; honours maxTokens', async () => {
    const out = await client().send(new ConverseCommand({
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      system: [],
      messages: [{ role: 'user', content: [{ text: 'Hello there' }] }],
      inferenceConfig: { maxTokens: 3 },
      additionalModelResponseFieldPaths: ['/delta/stop_sequence'],
    }));
    expect(out.output?.message?.role).toBe('assistant');
    expect(out.stopReason).toBe('max_tokens');
    expect(out.usage!.outputTokens).toBeLessThanOrEqual(3);
    expect(out.metrics?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('refuses a system prompt on a model without them', async () => {
    const err = await client().send(new ConverseCommand({ modelId: 'amazon.titan-text-lite-v1', system: [{ text: 'be brief' }], messages: [{ role: 'user', content: [{ text: 'Hi' }] }] })).catch((e) => e);
    expect(err.name).toBe('ValidationException');
    expect(err.message).toMatch(/system messages/);
  });

  it('round-trips random valid Converse requests', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 200 }), async (texts, maxTokens) => {
        const messages = texts.map((text, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', content: [{ text }] }));
        if (messages.at(-1)!.role === 'assistant') messages.push({ role: 'user', content: [{ text: 'go on' }] });
        const out = await client().send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages, inferenceConfig: { maxTokens } }));
        expect(out.usage!.outputTokens).toBeLessThanOrEqual(maxTokens);
        expect(out.usage!.totalTokens).toBe(out.usage!.inputTokens! + out.usage!.outputTokens!);
      }),
      { numRuns: 25 },
    );
  });

  it('gives each of many requests in flight at once its own answer, the one it gets alone', async () => {
    // Answers ready together leave together: none may go to another request's connection or stream.
    const converse = (text: string) =>
      fetch(`${server.endpoint}/model/anthropic.claude-3-haiku-20240307-v1:0/converse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }] }) })
        .then(async (r) => ({ status: r.status, id: r.headers.get('x-amzn-requestid'), body: await r.json() }));
    const viaSdk = (text: string) => client().send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: [{ text }] }] }));
    const prompts = Array.from({ length: 60 }, (_, i) => `prompt number ${i}`);
    const alone: unknown[] = [];
    for (const p of prompts.slice(0, 10)) alone.push((await converse(p)).body.output);
    const [http1, http2] = await Promise.all([Promise.all(prompts.map(converse)), Promise.all(prompts.map(viaSdk))]);
    expect(http1.map((a) => a.status)).toEqual(prompts.map(() => 200));
    expect(new Set(http1.map((a) => a.id)).size).toBe(prompts.length);
    expect(http1.slice(0, 10).map((a) => a.body.output)).toEqual(alone);
    expect(http2.map((o) => o.output)).toEqual(http1.map((a) => a.body.output));
    expect(new Set(http1.map((a) => a.body.output.message.content[0].text)).size).toBe(prompts.length);
  });

  it('answers HTTP/1.1 requests pipelined on one connection in order, each with its own answer', async () => {
    const path = '/model/anthropic.claude-3-haiku-20240307-v1:0/converse';
    const body = (text: string) => JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }] });
    const prompts = ['first', 'second', 'third', 'fourth'];
    const alone = [];
    for (const text of prompts) alone.push((await (await fetch(server.endpoint + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(text) })).json()).output);
    const { hostname, port } = new URL(server.endpoint);
    const socket = net.connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    const answers: unknown[] = [];
    const done = new Promise<void>((resolve, reject) => {
      socket.on('error', reject);
      socket.on('data', (chunk) => {
        received = Buffer.concat([received, chunk]);
        // Each answer: its head, then Content-Length bytes of JSON.
        for (let end; (end = received.indexOf('\r\n\r\n')) >= 0; ) {
          const length = Number(/content-length: (\d+)/i.exec(received.subarray(0, end).toString())![1]);
          if (received.length < end + 4 + length) break;
          answers.push(JSON.parse(received.subarray(end + 4, end + 4 + length).toString()).output);
          received = received.subarray(end + 4 + length);
          if (answers.length === prompts.length) resolve();
        }
      });
    });
    socket.write(prompts.map((text) => `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body(text))}\r\n\r\n${body(text)}`).join(''));
    await done;
    socket.destroy();
    expect(answers).toEqual(alone);
  });

  it('counts tokens for Claude', async () => {
    const out = await client().send(new CountTokensCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', input: { converse: { messages: [{ role: 'user', content: [{ text: 'abcdefgh' }] }] } } }));
    expect(out.inputTokens).toBe(2);
  });
});

describe('quotas and injected faults', () => {
  const body = json({ inputText: 'Hi' });

  it('throttles over the configured requests per minute; the SDK retries and the clock restores service', async () => {
    await admin('config', { runtime: { quotas: { 'amazon.titan-embed-text-v1': { requestsPerMinute: 1, tokensPerMinute: 1_000_000 } } } });
    await client().send(new InvokeModelCommand({ modelId: 'amazon.titan-embed-text-v1', body }));
    let attempts = 0;
    const counting = client('us-east-1', 3);
    counting.middlewareStack.add((next) => async (args) => { attempts++; return next(args); }, { step: 'finalizeRequest', name: 'count' });
    const err = await counting.send(new InvokeModelCommand({ modelId: 'amazon.titan-embed-text-v1', body })).catch((e) => e);
    expect(err.name).toBe('ThrottlingException');
    expect(err.$metadata.httpStatusCode).toBe(429);
    expect(attempts).toBe(3);
    await admin('clock/advance', { advanceMs: 60_000 });
    expect((await client().send(new InvokeModelCommand({ modelId: 'amazon.titan-embed-text-v1', body }))).$metadata.httpStatusCode).toBe(200);
    await admin('config', { runtime: { quotas: {} } });
  });

  it.each([
    ['ModelErrorException', 424],
    ['ModelTimeoutException', 408],
    ['ServiceUnavailableException', 503],
    ['ModelNotReadyException', 429],
  ])('fault injection reaches the client as %s', async (errorType, status) => {
    await admin('faults', { modelId: 'amazon.titan-embed-text-v2:0', errorType, rate: 1 });
    const err = await client().send(new InvokeModelCommand({ modelId: 'amazon.titan-embed-text-v2:0', body })).catch((e) => e);
    expect(err.name).toBe(errorType);
    expect(err.$metadata.httpStatusCode).toBe(status);
    await admin('faults', undefined, 'DELETE');
  });

  it('answers scripted text', async () => {
    await admin('scripts', { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', match: 'weather', response: { text: 'It is sunny' } });
    const out = await client().send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: [{ text: 'What is the weather?' }] }] }));
    expect(out.output?.message?.content?.[0].text).toBe('It is sunny');
    await admin('scripts', undefined, 'DELETE');
  });
});

describe('errors inside a stream', () => {
  it('sends ModelStreamErrorException as an exception frame of a 200 stream', async () => {
    await admin('faults', { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', errorType: 'ModelStreamErrorException', rate: 1 });
    const res = await fetch(`${server.endpoint}/model/anthropic.claude-3-haiku-20240307-v1:0/invoke-with-response-stream`, { method: 'POST', body: json({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    // The SDK reads the first frame before send() resolves, so the error surfaces from send or the iteration.
    const err = await client()
      .send(new InvokeModelWithResponseStreamCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', body: json({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }) }))
      .then(async (out) => {
        for await (const _ of out.body!) void _;
      })
      .catch((e) => e);
    expect(err.name).toBe('ModelStreamErrorException');
    expect(err.message).toBe('Injected ModelStreamErrorException.');
    await admin('faults', undefined, 'DELETE');
  });
});

describe('model limits through Converse', () => {
  it('refuses maxTokens above the model’s output limit as Bedrock does', async () => {
    const err = await client().send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { maxTokens: 5000 } })).catch((e) => e);
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe('The maximum tokens you requested exceeds the model limit of 4096. Try again with a maximum tokens value that is lower than 4096.');
  });
});
