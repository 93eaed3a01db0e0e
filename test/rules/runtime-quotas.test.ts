// Runtime quotas per model, stated from AWS's documentation (quotas.html: "On-demand InvokeModel requests per
// minute" and "tokens per minute" for each model, per account and region; over either, InvokeModel and Converse
// answer ThrottlingException, HTTP 429, per the service model). The emulator's documented choices (README): limits
// come from config.runtime.quotas, by model id or '*'; the minute slides on the emulator's clock; tokens are one per
// 4 characters, rounded up, of the request body (InvokeModel) or the messages (Converse), and the answer's output
// tokens count too.
import { BedrockRuntimeClient, ConverseCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { emulatorPerFile, startEmulatorForTest } from '../jobs/helpers.js';

const emu = emulatorPerFile({ timing: 'fast' });

const EMBED = 'amazon.titan-embed-text-v2:0';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const client = (region = 'us-east-1') =>
  new BedrockRuntimeClient({ endpoint: emu.server.endpoint, region, maxAttempts: 1, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
const admin = async (path: string, body: unknown, method = 'POST') => {
  const res = await fetch(`${emu.server.endpoint}/_emulator/${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.text()).toBeLessThan(300);
};
/** A Titan embedding body of exactly `chars` characters of JSON: `{"inputText":"` + text + `"}`. */
const embedBody = (chars: number) => new TextEncoder().encode(JSON.stringify({ inputText: 'x'.repeat(chars - 16) }));
const embed = (chars = 400, region = 'us-east-1') =>
  client(region).send(new InvokeModelCommand({ modelId: EMBED, body: embedBody(chars) })).then(() => 'ok', (e: Error) => e.name);

async function withQuotas(quotas: object, body: () => Promise<void>) {
  await admin('config', { runtime: { quotas } });
  try {
    await body();
  } finally {
    await admin('config', { runtime: { quotas: {} } });
    await admin('clock/advance', { advanceMs: 120_000 });
  }
}

describe('requests per minute', () => {
  it('allows N requests in a minute and throttles the next; the minute slides on the clock', async () => {
    // The emulator's clock is the wall clock plus its advances: hold the wall clock still to step to the millisecond.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    onTestFinished(() => void vi.useRealTimers());
    await withQuotas({ [EMBED]: { requestsPerMinute: 3, tokensPerMinute: 1_000_000 } }, async () => {
      expect([await embed(), await embed(), await embed()]).toEqual(['ok', 'ok', 'ok']);
      const err = await client().send(new InvokeModelCommand({ modelId: EMBED, body: embedBody(400) })).catch((e: Error) => e);
      expect(err).toMatchObject({ name: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' });
      await admin('clock/advance', { advanceMs: 59_999 });
      expect(await embed()).toBe('ThrottlingException');
      await admin('clock/advance', { advanceMs: 1 });
      expect(await embed()).toBe('ok');
    });
  });
  it('counts per model: another model without a quota is not throttled', async () => {
    await withQuotas({ [EMBED]: { requestsPerMinute: 1, tokensPerMinute: 1_000_000 } }, async () => {
      expect(await embed()).toBe('ok');
      expect(await embed()).toBe('ThrottlingException');
      const converse = await client().send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
      expect(converse.$metadata.httpStatusCode).toBe(200);
    });
  });
  it("counts per region: the same model's quota in another region is its own", async () => {
    await withQuotas({ [EMBED]: { requestsPerMinute: 1, tokensPerMinute: 1_000_000 } }, async () => {
      expect(await embed()).toBe('ok');
      expect(await embed()).toBe('ThrottlingException');
      expect(await embed(400, 'us-west-2')).toBe('ok');
    });
  });
  it("'*' applies to every model without its own entry; a model's own entry wins over it", async () => {
    await withQuotas({ '*': { requestsPerMinute: 1, tokensPerMinute: 1_000_000 } }, async () => {
      expect(await embed()).toBe('ok');
      expect(await embed()).toBe('ThrottlingException');
    });
    await withQuotas({ '*': { requestsPerMinute: 1, tokensPerMinute: 1_000_000 }, [EMBED]: { requestsPerMinute: 2, tokensPerMinute: 1_000_000 } }, async () => {
      expect([await embed(), await embed()]).toEqual(['ok', 'ok']);
      expect(await embed()).toBe('ThrottlingException');
    });
  });
  it('throttles nothing when no quota is set', async () => {
    for (let i = 0; i < 5; i++) expect(await embed()).toBe('ok');
  });
});

describe('tokens per minute', () => {
  it('admits a request whose tokens reach the quota exactly, and throttles one token over', async () => {
    // 400 characters of body: 100 tokens.
    await withQuotas({ [EMBED]: { requestsPerMinute: 100, tokensPerMinute: 100 } }, async () => {
      expect(await embed(404)).toBe('ThrottlingException'); // 101 tokens, on the first request of the minute
      expect(await embed(400)).toBe('ok');
      expect(await embed(16 + 4)).toBe('ThrottlingException'); // 100 + 5
    });
    await withQuotas({ [EMBED]: { requestsPerMinute: 100, tokensPerMinute: 160 } }, async () => {
      expect(await embed(400)).toBe('ok'); // 100
      expect(await embed(240)).toBe('ok'); // 60: 160 in all
      expect(await embed(20)).toBe('ThrottlingException');
    });
  });
  it("counts the answer's output tokens toward the minute", async () => {
    // A scripted answer of 4,000 characters: 1,000 output tokens; the question itself is a few tokens.
    await admin('scripts', { modelId: HAIKU, match: 'long answer please', response: { text: 'y'.repeat(4000) } });
    try {
      await withQuotas({ [HAIKU]: { requestsPerMinute: 100, tokensPerMinute: 500 } }, async () => {
        const ask = () =>
          client().send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'long answer please' }] }], inferenceConfig: { maxTokens: 4096 } }))
            .then((r) => r.usage, (e: Error) => e.name);
        expect(await ask()).toMatchObject({ outputTokens: 1000 });
        expect(await ask()).toBe('ThrottlingException');
      });
    } finally {
      await admin('scripts', {}, 'DELETE');
    }
  });
});

describe('model ids the catalogue lacks', () => {
  afterEach(() => vi.restoreAllMocks());
  it("answers AWS's ValidationException and logs once per id how to add it", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const ask = (modelId: string) => client().send(new InvokeModelCommand({ modelId, body: new TextEncoder().encode('{}') })).catch((e: Error) => e);
    const first = await ask('acme.not-a-model-v1:0');
    expect(first).toMatchObject({ name: 'ValidationException', message: 'The provided model identifier is invalid.' });
    await ask('acme.not-a-model-v1:0');
    const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('acme.not-a-model-v1:0'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('--catalog');
  });
});

describe('the log of unknown model ids', () => {
  afterEach(() => vi.restoreAllMocks());
  it('holds at most 1,000 ids, so that a flood of made-up ids cannot grow it without end', async () => {
    const { server: own, cleanup: stopOwn } = await startEmulatorForTest({ timing: 'fast' });
    try {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const c = new BedrockRuntimeClient({ endpoint: own.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
      for (let i = 0; i < 1002; i++) await c.send(new InvokeModelCommand({ modelId: `acme.flood-${i}`, body: new TextEncoder().encode('{}') })).catch(() => undefined);
      expect(warn.mock.calls.filter((call) => String(call[0]).includes("model id 'acme.flood-"))).toHaveLength(1000);
    } finally {
      await stopOwn();
    }
  }, 120_000);
});

