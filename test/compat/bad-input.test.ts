// Bad input on the compatible APIs always gets a 4xx in the API's own error form — never a 500, a crash or a hang:
// random JSON (and non-JSON) bodies, and mutations of valid requests, posted to every route. Seeded by COMPAT_SEED
// (in the test names).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';

const SEED = Number(process.env.COMPAT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const GPT = 'openai.gpt-oss-20b-1:0';
const CLAUDE = 'global.anthropic.claude-opus-5';

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ defaultRegion: 'us-west-2', timing: 'manual' });
});
afterAll(() => emu.stop());

const VALID: Record<string, Record<string, unknown>> = {
  '/openai/v1/chat/completions': { model: GPT, messages: [{ role: 'user', content: 'hi' }], max_tokens: 20 },
  '/openai/v1/responses': { model: GPT, input: 'hi', max_output_tokens: 20 },
  '/anthropic/v1/messages': { model: CLAUDE, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] },
  '/openai/v1/batches': { input_file_id: 's3://no-such-bucket/in.jsonl', endpoint: '/v1/chat/completions', completion_window: '24h' },
};
const ROUTES = Object.keys(VALID);

async function post(path: string, body: string) {
  const res = await fetch(`${emu.endpoints.bedrockRuntime}${path}`, {
    method: 'POST',
    headers: { authorization: 'Bearer bedrock-api-key-test', 'content-type': 'application/json', 'x-amzn-bedrock-modelid': GPT, 'x-amzn-bedrock-rolearn': 'arn:aws:iam::123456789012:role/R' },
    body,
  });
  return { status: res.status, body: await res.json() };
}

function expectApiShape(path: string, r: { status: number; body: any }) {
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
  if (r.status === 200) return;
  expect(r.status).toBeGreaterThanOrEqual(400);
  if (path.startsWith('/anthropic')) {
    expect(r.body.type).toBe('error');
    expect(Object.keys(r.body.error).sort()).toEqual(['message', 'type']);
  } else {
    expect(Object.keys(r.body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(typeof r.body.error.message).toBe('string');
  }
}

/** A valid request with one member replaced by any JSON value, or removed, somewhere in its tree. */
function mutate(value: unknown, path: number[], replacement: unknown): unknown {
  if (!path.length || value === null || typeof value !== 'object') return replacement;
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  if (!entries.length) return replacement;
  const [key] = entries[path[0] % entries.length];
  const copy: any = Array.isArray(value) ? [...value] : { ...value };
  copy[key] = mutate(copy[key], path.slice(1), replacement);
  if (copy[key] === undefined) delete copy[key];
  return copy;
}

describe(`the compatible APIs under bad input (COMPAT_SEED=${SEED})`, () => {
  it('answers any JSON value or non-JSON text in the API error form', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.oneof(fc.json(), fc.string()), async (path, body) => expectApiShape(path, await post(path, body))),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('answers valid requests with one member changed to anything, or removed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.oneof(fc.jsonValue(), fc.constant(undefined)),
        async (path, at, replacement) => expectApiShape(path, await post(path, JSON.stringify(mutate(VALID[path], at, replacement)))),
      ),
      { seed: SEED, numRuns: 120 },
    );
  });
});
