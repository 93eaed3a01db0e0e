// A web page must not be able to drive the embedded S3. Browsers add an Origin header to cross-origin requests
// (and to every POST), so a request carrying one is served only when the bucket's CORS configuration allows that
// origin and method, answered otherwise as S3 answers a CORS request it does not allow (403 AccessForbidden,
// "CORSResponse: ..."); POST form uploads, the only route to s3rver's multipart parser (busboy → dicer 0.3.0, with
// a known crash advisory), are refused unless the user turned them on; XML bodies are screened before s3rver's
// parser (fast-xml-parser 3.21.1) makes an element named __proto__ the parsed object's prototype.
import { CreateBucketCommand, DeleteBucketCommand, DeleteBucketCorsCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, PutBucketCorsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/emulator/config.js';
import { startServer } from '../../src/emulator/server.js';
import { startS3Server, type S3Server } from '../../src/emulator/s3/server.js';
import { rawRequest, s3Client } from './helpers.js';

let server: S3Server;
let formsServer: S3Server;
let s3: S3Client;
const dirs = [mkdtempSync(join(tmpdir(), 'bbe-s3-browser-')), mkdtempSync(join(tmpdir(), 'bbe-s3-forms-'))];

const ATTACKER = 'http://attacker.example';
const APP = 'http://app.example';
const NOT_ENABLED = 'CORSResponse: CORS is not enabled for this bucket.';
const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";
const code = (body: string) => /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
const message = (body: string) => /<Message>([^<]*)<\/Message>/.exec(body)?.[1]?.replaceAll('&apos;', "'");

const BOUNDARY = '----formboundary';
const form = (parts: string[]) => `${parts.map((p) => `--${BOUNDARY}\r\n${p}\r\n`).join('')}--${BOUNDARY}--\r\n`;
const UPLOAD = form(['Content-Disposition: form-data; name="key"\r\n\r\nfrom-a-form', 'Content-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nuploaded by a form']);
const FORM_HEADERS = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };

async function exists(client: S3Client, Bucket: string, Key: string) {
  const out = await client.send(new HeadObjectCommand({ Bucket, Key })).catch((e) => e);
  return out.$metadata.httpStatusCode === 200;
}

beforeAll(async () => {
  server = await startS3Server({ host: '127.0.0.1', port: 0, dataDir: dirs[0] });
  formsServer = await startS3Server({ host: '127.0.0.1', port: 0, dataDir: dirs[1], allowPostForms: () => true });
  s3 = s3Client(server.endpoint);
  for (const endpoint of [server.endpoint, formsServer.endpoint]) await rawRequest(endpoint, 'PUT', '/site');
  await s3.send(new PutObjectCommand({ Bucket: 'site', Key: 'victim', Body: 'keep me' }));
});
afterAll(async () => {
  await Promise.all([server.close(), formsServer.close()]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('requests a web page can make', () => {
  it('a text/plain DeleteObjects from another origin (no preflight needed) is refused and deletes nothing', async () => {
    const body = '<Delete><Object><Key>victim</Key></Object></Delete>';
    const res = await rawRequest(server.endpoint, 'POST', '/site?delete', { origin: ATTACKER, 'content-type': 'text/plain' }, body);
    expect([res.status, code(res.body), message(res.body)]).toEqual([403, 'AccessForbidden', NOT_ENABLED]);
    expect(res.body).toContain('<Method>POST</Method><ResourceType>BUCKET</ResourceType>');
    expect(await exists(s3, 'site', 'victim')).toBe(true);
  });

  it('a form POST upload is refused unless forms are turned on, with or without an Origin', async () => {
    for (const headers of [FORM_HEADERS, { ...FORM_HEADERS, origin: ATTACKER }]) {
      const res = await rawRequest(server.endpoint, 'POST', '/site', headers, UPLOAD);
      expect(res.status).toBe(403);
      expect(code(res.body)).toBe('AccessDenied');
    }
    expect(await exists(s3, 'site', 'from-a-form')).toBe(false);
  });

  it('a multipart body that crashes dicer 0.3.0 (a part header named __proto__) never reaches it while forms are off', async () => {
    const crash = form(['__proto__: x\r\n\r\nvalue']);
    const res = await rawRequest(server.endpoint, 'POST', '/site', FORM_HEADERS, crash);
    expect([res.status, code(res.body)]).toEqual([403, 'AccessDenied']);
    expect((await rawRequest(server.endpoint, 'GET', '/site/victim')).body).toBe('keep me');
  });

  it('with s3AllowPostForms a form upload without an Origin stores the object; with an Origin CORS still decides', async () => {
    const stored = await rawRequest(formsServer.endpoint, 'POST', '/site', FORM_HEADERS, UPLOAD);
    expect(stored.status).toBe(204);
    expect((await rawRequest(formsServer.endpoint, 'GET', '/site/from-a-form')).body).toBe('uploaded by a form');
    const fromPage = await rawRequest(formsServer.endpoint, 'POST', '/site', { ...FORM_HEADERS, origin: ATTACKER }, UPLOAD.replace('from-a-form', 'from-a-page'));
    expect([fromPage.status, code(fromPage.body)]).toEqual([403, 'AccessForbidden']);
    expect((await rawRequest(formsServer.endpoint, 'GET', '/site/from-a-page')).status).toBe(404);
  });

  it('a DeleteObjects body with an element named __proto__ is MalformedXML and deletes nothing', async () => {
    // fast-xml-parser 3.x makes <__proto__> the prototype of <Delete>'s object, where s3rver then finds Object.
    const body = '<Delete><__proto__><Object><Key>victim</Key></Object></__proto__></Delete>';
    const res = await rawRequest(server.endpoint, 'POST', '/site?delete', { 'content-type': 'application/xml' }, body);
    expect([res.status, code(res.body)]).toEqual([400, 'MalformedXML']);
    expect(await exists(s3, 'site', 'victim')).toBe(true);
    // A key that merely reads "__proto__" is a key like any other.
    const plain = await s3.send(new DeleteObjectsCommand({ Bucket: 'site', Delete: { Objects: [{ Key: '__proto__' }, { Key: 'constructor' }] } }));
    expect(plain.Deleted?.map((d) => d.Key)).toEqual(['__proto__', 'constructor']);
  });
});

describe('a bucket whose CORS configuration allows an origin', () => {
  beforeAll(async () => {
    await s3.send(new PutBucketCorsCommand({ Bucket: 'site', CORSConfiguration: { CORSRules: [{ AllowedOrigins: [APP], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['content-type'] }] } }));
  });

  it('serves that origin the methods it allows, with CORS headers', async () => {
    const res = await rawRequest(server.endpoint, 'GET', '/site/victim', { origin: APP });
    expect([res.status, res.body, res.headers['access-control-allow-origin']]).toEqual([200, 'keep me', APP]);
    const preflight = await rawRequest(server.endpoint, 'OPTIONS', '/site/new', { origin: APP, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' });
    expect(preflight.status).toBe(200);
    expect(preflight.headers['access-control-allow-methods']).toContain('PUT');
  });

  it('refuses other methods, other origins and headers it does not allow: 403 AccessForbidden', async () => {
    const refusals = [
      await rawRequest(server.endpoint, 'DELETE', '/site/victim', { origin: APP }),
      await rawRequest(server.endpoint, 'GET', '/site/victim', { origin: ATTACKER }),
      await rawRequest(server.endpoint, 'OPTIONS', '/site/victim', { origin: APP, 'access-control-request-method': 'DELETE' }),
      await rawRequest(server.endpoint, 'OPTIONS', '/site/victim', { origin: APP, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-amz-meta-secret' }),
    ];
    for (const res of refusals) expect([res.status, code(res.body), message(res.body)]).toEqual([403, 'AccessForbidden', NOT_ALLOWED]);
    expect(refusals[0].body).toContain('<Method>DELETE</Method><ResourceType>OBJECT</ResourceType>');
    expect(Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'site', Key: 'victim' }))).Body!.transformToByteArray()).toString()).toBe('keep me');
  });
});

describe("a bucket's CORS configuration, changed", () => {
  // Each change answers the next request: PutBucketCors replaces the rules, DeleteBucketCors removes them, and a
  // bucket deleted and made again starts with none.
  const get = async () => {
    const res = await rawRequest(server.endpoint, 'GET', '/cors-changes/k', { origin: APP });
    return [res.status, res.status === 200 ? res.body : code(res.body)];
  };
  const allow = (origin: string) => s3.send(new PutBucketCorsCommand({ Bucket: 'cors-changes', CORSConfiguration: { CORSRules: [{ AllowedOrigins: [origin], AllowedMethods: ['GET'] }] } }));

  it('takes effect at once', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'cors-changes' }));
    await s3.send(new PutObjectCommand({ Bucket: 'cors-changes', Key: 'k', Body: 'v' }));
    expect(await get()).toEqual([403, 'AccessForbidden']);
    await allow(APP);
    expect(await get()).toEqual([200, 'v']);
    await allow('http://other.example');
    expect(await get()).toEqual([403, 'AccessForbidden']);
    await allow(APP);
    await s3.send(new DeleteBucketCorsCommand({ Bucket: 'cors-changes' }));
    expect(await get()).toEqual([403, 'AccessForbidden']);
    await allow(APP);
    await s3.send(new DeleteObjectsCommand({ Bucket: 'cors-changes', Delete: { Objects: [{ Key: 'k' }] } }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'cors-changes' }));
    expect((await rawRequest(server.endpoint, 'HEAD', '/cors-changes')).status).toBe(404); // gone, not remembered
    await s3.send(new CreateBucketCommand({ Bucket: 'cors-changes' }));
    await s3.send(new PutObjectCommand({ Bucket: 'cors-changes', Key: 'k', Body: 'v' }));
    expect(await get()).toEqual([403, 'AccessForbidden']);
  });
});

describe('turning form uploads on', () => {
  it('is off by default, on with --s3-allow-post-forms or BEDROCK_EMULATOR_S3_ALLOW_POST_FORMS=true', () => {
    expect(loadConfig([], {}).s3AllowPostForms).toBe(false);
    expect(loadConfig(['--s3-allow-post-forms'], {}).s3AllowPostForms).toBe(true);
    expect(loadConfig([], { BEDROCK_EMULATOR_S3_ALLOW_POST_FORMS: 'true' }).s3AllowPostForms).toBe(true);
  });

  it('takes effect on a running emulator through POST /_emulator/config', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bbe-s3-forms-live-'));
    const running = await startServer({ ...loadConfig(['--port', '0', '--s3-port', '0', '--data-dir', dataDir], {}) });
    try {
      await rawRequest(running.s3Endpoint, 'PUT', '/site');
      expect((await rawRequest(running.s3Endpoint, 'POST', '/site', FORM_HEADERS, UPLOAD)).status).toBe(403);
      const turnedOn = await fetch(`${running.endpoint}/_emulator/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ s3AllowPostForms: true }) });
      expect(turnedOn.status).toBe(200);
      expect((await rawRequest(running.s3Endpoint, 'POST', '/site', FORM_HEADERS, UPLOAD)).status).toBe(204);
    } finally {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
