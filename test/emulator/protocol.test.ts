import { ListFoundationModelsCommand, GetModelInvocationJobCommand, TagResourceCommand } from '@aws-sdk/client-bedrock';
import { describe, expect, it } from 'vitest';
import { controlPlane } from '../support/control-plane.js';
import { DEFAULT_CONFIG } from '../../src/emulator/config.js';
import { HANDLERS } from '../../src/emulator/routes.js';

const cp = controlPlane();
const client = (region = 'eu-west-3') => cp.client(region);
const seen: unknown[] = [];


describe('wire protocol core', () => {
  it('routes ARN labels with %2F to one segment and passes the signed region', async () => {
    const saved = HANDLERS.GetModelInvocationJob;
    HANDLERS.GetModelInvocationJob = (input, ctx) => {
      seen.push({ input, region: ctx.region, account: ctx.account });
      throw new (class extends Error {})('boom');
    };
    const arn = 'arn:aws:bedrock:eu-west-3:123456789012:model-invocation-job/abcdefghijkl';
    await expect(client().send(new GetModelInvocationJobCommand({ jobIdentifier: arn }))).rejects.toMatchObject({
      name: 'InternalServerException',
    });
    expect(seen.at(-1)).toEqual({ input: { jobIdentifier: arn }, region: 'eu-west-3', account: '123456789012' });
    HANDLERS.GetModelInvocationJob = saved;
  });

  it('rejects a label that breaks the model pattern with AWS validation message form', async () => {
    HANDLERS.GetModelInvocationJob = () => ({});
    const err = await client().send(new GetModelInvocationJobCommand({ jobIdentifier: 'NOT_AN_ID' })).catch((e) => e);
    expect(err.name).toBe('ValidationException');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toMatch(/^1 validation error detected: Value 'NOT_AN_ID' at 'jobIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
    delete HANDLERS.GetModelInvocationJob;
  });

  it('lists several violations in one message', async () => {
    HANDLERS.TagResource = () => ({});
    const err = await client()
      .send(new TagResourceCommand({ resourceARN: 'x', tags: [{ key: '', value: 'v' }] }))
      .catch((e) => e);
    expect(err.name).toBe('ValidationException');
    expect(err.message).toMatch(/^2 validation errors detected: /);
    expect(err.message).toContain("at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1");
    delete HANDLERS.TagResource;
  });

  it('answers an implemented-by-AWS but unimplemented operation with a 4xx', async () => {
    const handler = HANDLERS.ListFoundationModels;
    delete HANDLERS.ListFoundationModels;
    const err = await client().send(new ListFoundationModelsCommand({})).catch((e) => e);
    expect(err.$metadata.httpStatusCode).toBe(404);
    expect(err.name).toBe('UnknownOperationException');
    if (handler) HANDLERS.ListFoundationModels = handler;
  });

  it.each([
    ['GET', '/nope', undefined, 404, 'UnknownOperationException'],
    ['DELETE', '/model-invocation-jobs', undefined, 405, 'MethodNotAllowedException'],
    ['POST', '/tagResource', '{not json', 400, 'SerializationException'],
    ['POST', '/tagResource', '[]', 400, 'SerializationException'],
    ['POST', '/tagResource', '{"resourceARN": 5, "tags": []}', 400, 'SerializationException'],
    ['GET', '/_emulator/nope', undefined, 404, 'UnknownOperationException'],
  ])('%s %s → %i %s', async (method, path, body, status, type) => {
    HANDLERS.TagResource = () => ({});
    const res = await fetch(cp.endpoint + path, { method, body, headers: body ? { 'content-type': 'application/json' } : {} });
    expect(res.status).toBe(status);
    expect(res.headers.get('x-amzn-errortype')).toBe(type);
    expect(typeof (await res.json()).message).toBe('string');
    delete HANDLERS.TagResource;
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

  it('refuses a wrong content type and an oversized body', async () => {
    HANDLERS.TagResource = () => ({});
    const wrongType = await fetch(cp.endpoint + '/tagResource', { method: 'POST', body: '{}', headers: { 'content-type': 'text/html' } });
    expect(wrongType.status).toBe(415);
    const big = await fetch(cp.endpoint + '/tagResource', { method: 'POST', body: 'x'.repeat(DEFAULT_CONFIG.runtime.maxBodyBytes + 1) });
    expect(big.status).toBe(413);
    delete HANDLERS.TagResource;
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
