import {
  CreateInferenceProfileCommand,
  GetInferenceProfileCommand,
  GetModelInvocationJobCommand,
  ListCustomModelsCommand,
  TagResourceCommand,
} from '@aws-sdk/client-bedrock';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { controlPlane } from '../support/control-plane.js';
import { DEFAULT_CONFIG } from '../../src/emulator/config.js';
import { createApp, errorAnswer } from '../../src/emulator/app.js';

const cp = controlPlane();
const client = (region = 'eu-west-3') => cp.client(region);

describe('wire protocol core', () => {
  it('routes an ARN label with %2F to one segment and acts in the signed region', async () => {
    // An application inference profile made in eu-west-3, read back by its ARN (the SDK sends it as one
    // percent-encoded path segment).
    const made = await client().send(
      new CreateInferenceProfileCommand({
        inferenceProfileName: 'protocol-labels',
        modelSource: { copyFrom: 'arn:aws:bedrock:eu-west-3::foundation-model/anthropic.claude-3-haiku-20240307-v1:0' },
      }),
    );
    expect(made.inferenceProfileArn).toMatch(/^arn:aws:bedrock:eu-west-3:123456789012:application-inference-profile\/[a-z0-9]{12}$/);
    const got = await client().send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: made.inferenceProfileArn }));
    expect(got.inferenceProfileArn).toBe(made.inferenceProfileArn);
    // The same ARN from another region is another region's resource: not found there.
    const elsewhere = await client('us-east-1').send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: made.inferenceProfileArn })).catch((e) => e);
    expect(elsewhere.name).toBe('ResourceNotFoundException');
  });

  it('rejects a label that breaks the model pattern with AWS validation message form', async () => {
    const err = await client().send(new GetModelInvocationJobCommand({ jobIdentifier: 'NOT_AN_ID' })).catch((e) => e);
    expect(err.name).toBe('ValidationException');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toMatch(/^1 validation error detected: Value 'NOT_AN_ID' at 'jobIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
  });

  it('lists several violations in one message', async () => {
    const err = await client()
      .send(new TagResourceCommand({ resourceARN: 'x', tags: [{ key: '', value: 'v' }] }))
      .catch((e) => e);
    expect(err.name).toBe('ValidationException');
    expect(err.message).toMatch(/^2 validation errors detected: /);
    expect(err.message).toContain("at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1");
  });

  it('answers an AWS operation the emulator does not implement with 404 UnknownOperationException naming it', async () => {
    const err = await client().send(new ListCustomModelsCommand({})).catch((e) => e);
    expect(err.$metadata.httpStatusCode).toBe(404);
    expect(err.name).toBe('UnknownOperationException');
    expect(err.message).toContain('ListCustomModels');
  });

  it('maps an unexpected failure to 500 InternalServerException with a request id, without its details', async () => {
    const answer = errorAnswer(new Error('secret detail'), 'req-1');
    expect(answer.status).toBe(500);
    expect(answer.headers['x-amzn-ErrorType']).toBe('InternalServerException');
    expect(answer.headers['x-amzn-RequestId']).toBe('req-1');
    expect(String(answer.body)).not.toContain('secret detail');
  });

  it.each([
    ['GET', '/nope', undefined, 404, 'UnknownOperationException'],
    ['DELETE', '/model-invocation-jobs', undefined, 405, 'MethodNotAllowedException'],
    ['POST', '/tagResource', '{not json', 400, 'SerializationException'],
    ['POST', '/tagResource', '[]', 400, 'SerializationException'],
    ['POST', '/tagResource', '{"resourceARN": 5, "tags": []}', 400, 'SerializationException'],
    ['GET', '/_emulator/nope', undefined, 404, 'UnknownOperationException'],
  ])('%s %s → %i %s', async (method, path, body, status, type) => {
    const res = await fetch(cp.endpoint + path, { method, body, headers: body ? { 'content-type': 'application/json' } : {} });
    expect(res.status).toBe(status);
    expect(res.headers.get('x-amzn-errortype')).toBe(type);
    expect(typeof (await res.json()).message).toBe('string');
  });

  it('sets x-amzn-RequestId on successful answers as on errors, a fresh id each time', async () => {
    const ok = await fetch(cp.endpoint + '/foundation-models');
    const failed = await fetch(cp.endpoint + '/nope');
    expect(ok.status).toBe(200);
    expect(failed.status).toBe(404);
    const ids = [ok, failed].map((r) => r.headers.get('x-amzn-requestid'));
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  // AWS request ids are UUIDs (version 4: 8-4-4-4-12 hex digits, version nibble 4, variant 8-b); clients only ever
  // compare them, so each must be new.
  it('gives every request its own id, in UUID v4 form', async () => {
    const ids = await Promise.all(Array.from({ length: 200 }, () => fetch(cp.endpoint + '/foundation-models').then((r) => r.headers.get('x-amzn-requestid'))));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(200);
  });

  it('routes as before after many distinct unknown paths', async () => {
    for (let i = 0; i < 1100; i += 100) {
      const statuses = await Promise.all(Array.from({ length: 100 }, (_, j) => fetch(`${cp.endpoint}/nope-${i + j}`).then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([404]));
    }
    expect((await fetch(cp.endpoint + '/foundation-models')).status).toBe(200);
    expect((await fetch(cp.endpoint + '/nope-0')).status).toBe(404);
  });

  it('refuses a wrong content type and an oversized body', async () => {
    const wrongType = await fetch(cp.endpoint + '/tagResource', { method: 'POST', body: '{}', headers: { 'content-type': 'text/html' } });
    expect(wrongType.status).toBe(415);
    const big = await fetch(cp.endpoint + '/tagResource', { method: 'POST', body: 'x'.repeat(DEFAULT_CONFIG.runtime.maxBodyBytes + 1) });
    expect(big.status).toBe(413);
  });

  it('serves /_emulator/health over HTTP/1.1 and cleartext HTTP/2 on the same port', async () => {
    const res = await fetch(cp.endpoint + '/_emulator/health');
    expect(res.status).toBe(200);
    const http2 = await import('node:http2');
    const session = http2.connect(cp.endpoint);
    const body = await new Promise<string>((resolve, reject) => {
      const req = session.request({ ':path': '/_emulator/health' });
      let data = '';
      req.on('data', (d) => (data += d));
      req.on('end', () => resolve(data));
      req.on('error', reject);
    });
    session.close();
    expect(JSON.parse(body).status).toBe('ok');
  });
});

/** A raw HTTP/1.1 request: the target goes out as written (fetch would normalize it first). */
function raw(method: string, target: string) {
  const { hostname, port } = new URL(cp.endpoint);
  return new Promise<{ status: number; type?: string; body: string }>((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path: target }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['x-amzn-errortype'] as string | undefined, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('one way in: the port and fetch reach the same parse step and error mapper', () => {
  it('resolves dot segments in a raw target as a URL parser does, before the surface is picked', async () => {
    const res = await raw('GET', '/model-invocation-jobs/../_emulator/health');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).status).toBe('ok');
  });

  it('answers a target no URL can hold (a backslash in the path) with 400 in AWS\'s envelope, not an empty answer', async () => {
    const res = await raw('GET', '/foundation-models\\..\\x');
    expect([res.status, res.type]).toEqual([400, 'ValidationException']);
    expect(typeof JSON.parse(res.body).message).toBe('string');
  });

  it('answers an admin route\'s failure alike on the port and through app.fetch', async () => {
    const onPort = await raw('POST', '/_emulator/clock/advance');
    const viaFetch = await createApp(cp.emu).fetch(new Request('http://localhost/_emulator/clock/advance', { method: 'POST' }));
    expect([onPort.status, onPort.type]).toEqual([415, 'UnsupportedMediaTypeException']);
    expect([viaFetch.status, viaFetch.headers.get('x-amzn-errortype')]).toEqual([415, 'UnsupportedMediaTypeException']);
    expect(await viaFetch.text()).toBe(onPort.body);
  });

  it('answers an unknown OpenAI-compatible path in OpenAI\'s error form, an unknown admin one in AWS\'s', async () => {
    const openai = await raw('GET', '/openai/v1/nope');
    expect(openai.status).toBe(404);
    expect(JSON.parse(openai.body).error.type).toBe('not_found_error');
    const admin = await raw('GET', '/_emulator');
    expect([admin.status, admin.type]).toEqual([404, 'UnknownOperationException']);
  });
});
