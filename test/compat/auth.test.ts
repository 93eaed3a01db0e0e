// Strict mode on the compatible APIs: a Bedrock API key as `Authorization: Bearer` (OpenAI SDK) or `x-api-key`
// (Anthropic SDK), or SigV4, checked like every other route; refusals in each API's own error form; the region
// from the SigV4 scope, else the default region.
import Anthropic from '@anthropic-ai/sdk';
import { SignatureV4 } from '@smithy/signature-v4';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';
import { Sha256 } from '../support/sha256.js';

const A = { accessKeyId: 'AKIAACCOUNTA0000001', secretAccessKey: 'secret-of-account-a', account: '111111111111', apiKey: 'ABSKlong-term-key-of-a' };
const GPT = 'openai.gpt-oss-20b-1:0';
const CLAUDE = 'global.anthropic.claude-opus-5';
const chat = { model: GPT, messages: [{ role: 'user' as const, content: 'Hi' }] };

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ strict: true, credentials: [A], defaultRegion: 'us-west-2' });
});
afterAll(() => emu.stop());

const openai = (apiKey: string) => new OpenAI({ baseURL: emu.openaiBaseURL, apiKey, maxRetries: 0 });
const anthropic = (apiKey: string) => new Anthropic({ baseURL: emu.anthropicBaseURL, apiKey, maxRetries: 0 });
const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable('the call succeeded'), (e: { status: number; error: unknown }) => e);

/** A SigV4-signed POST (service `bedrock`) to a compatible path. */
async function signed(path: string, body: unknown, region: string, secret = A.secretAccessKey) {
  const url = new URL(`${emu.endpoints.bedrockRuntime}${path}`);
  const signer = new SignatureV4({ service: 'bedrock', region, credentials: { accessKeyId: A.accessKeyId, secretAccessKey: secret }, sha256: Sha256 });
  const request = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return fetch(url, { method: 'POST', headers: request.headers as Record<string, string>, body: request.body as string });
}

describe('OpenAI paths', () => {
  it('accepts a listed Bedrock API key from the OpenAI SDK', async () => {
    expect((await openai(A.apiKey).chat.completions.create(chat)).object).toBe('chat.completion');
  });

  it("refuses an unknown key with 403 in OpenAI's error form", async () => {
    const e = await failure(openai('ABSKnot-a-key').chat.completions.create(chat));
    expect(e.status).toBe(403);
    expect(e.error).toEqual({ message: 'The security token included in the request is invalid.', type: 'permission_error', param: null, code: 'UnrecognizedClientException' });
  });

  it('refuses a request without credentials', async () => {
    const res = await fetch(`${emu.openaiBaseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chat) });
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({ message: 'Missing Authentication Token', code: 'MissingAuthenticationTokenException' });
  });

  it("accepts SigV4 and takes the region from its scope (gpt-oss isn't offered in sa-east-1)", async () => {
    const ok = await signed('/openai/v1/chat/completions', chat, 'us-west-2');
    expect(ok.status).toBe(200);
    const elsewhere = await signed('/openai/v1/chat/completions', chat, 'sa-east-1');
    expect(elsewhere.status).toBe(400);
    expect((await elsewhere.json()).error.message).toContain('sa-east-1');
    const forged = await signed('/openai/v1/chat/completions', chat, 'us-west-2', 'wrong-secret');
    expect(forged.status).toBe(403);
    expect((await forged.json()).error.code).toBe('InvalidSignatureException');
  });

  it('checks the OpenAI Batch API the same way', async () => {
    const e = await failure(openai('ABSKnot-a-key').batches.list());
    expect(e.status).toBe(403);
  });
});

describe('Anthropic paths', () => {
  it('accepts the key as x-api-key (the Anthropic SDK) and as Authorization: Bearer', async () => {
    const message = await anthropic(A.apiKey).messages.create({ model: CLAUDE, max_tokens: 20, messages: [{ role: 'user', content: 'Hi' }] });
    expect(message.type).toBe('message');
    const bearer = new Anthropic({ baseURL: emu.anthropicBaseURL, authToken: A.apiKey, apiKey: null, maxRetries: 0 });
    expect((await bearer.messages.create({ model: CLAUDE, max_tokens: 20, messages: [{ role: 'user', content: 'Hi' }] })).type).toBe('message');
  });

  it("refuses an unknown x-api-key with 403 in Anthropic's error form", async () => {
    const e = await failure(anthropic('ABSKnot-a-key').messages.create({ model: CLAUDE, max_tokens: 20, messages: [{ role: 'user', content: 'Hi' }] }));
    expect(e.status).toBe(403);
    expect(e.error).toEqual({ type: 'error', error: { type: 'permission_error', message: 'The security token included in the request is invalid.' } });
  });

  it('accepts SigV4', async () => {
    const res = await signed('/anthropic/v1/messages', { model: CLAUDE, max_tokens: 20, messages: [{ role: 'user', content: 'Hi' }] }, 'us-east-1');
    expect(res.status).toBe(200);
    expect((await res.json()).type).toBe('message');
  });
});
