// Strict mode with the official clients: SigV4 (header and presigned) and Bedrock API keys verified against the
// configured credentials, AWS's authentication errors, and two accounts that cannot see each other's resources.
import {
  BedrockClient,
  CreateInferenceProfileCommand,
  CreateModelInvocationJobCommand,
  GetInferenceProfileCommand,
  GetModelInvocationJobCommand,
  ListFoundationModelsCommand,
  ListInferenceProfilesCommand,
  ListModelInvocationJobsCommand,
  ListTagsForResourceCommand,
  StopModelInvocationJobCommand,
  TagResourceCommand,
} from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseStreamCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/emulator/config.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';
import { Sha256 } from '../support/sha256.js';

const A = { accessKeyId: 'AKIAACCOUNTA0000001', secretAccessKey: 'secret-of-account-a', account: '111111111111' };
const B = { accessKeyId: 'AKIAACCOUNTB0000002', secretAccessKey: 'secret-of-account-b', account: '222222222222', apiKey: 'ABSKlong-term-key-of-b' };
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

type Cred = { accessKeyId: string; secretAccessKey: string };
let emulator: EmulatorHandle;
const bedrock = (c: Cred, extra: object = {}) => new BedrockClient({ endpoint: emulator.endpoints.bedrock, region: 'us-east-1', credentials: { ...c }, maxAttempts: 1, ...extra });
// The runtime client's default handler: cleartext HTTP/2.
const runtime = (c: Cred, extra: object = {}) => new BedrockRuntimeClient({ endpoint: emulator.endpoints.bedrockRuntime, region: 'us-east-1', credentials: { ...c }, maxAttempts: 1, ...extra });
const haikuBody = new TextEncoder().encode(JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 20, messages: [{ role: 'user', content: 'Hi' }] }));
const invoke = (modelId = HAIKU) => new InvokeModelCommand({ modelId, body: haikuBody, contentType: 'application/json' });

async function failure(p: Promise<unknown>) {
  const e = (await p.then(() => expect.unreachable('the call succeeded'), (err) => err)) as Error & { $metadata: { httpStatusCode: number } };
  return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
}

// What @aws/bedrock-token-generator does: presign POST https://bedrock.amazonaws.com/?Action=CallWithBearerToken.
async function shortTermKey(c: Cred, region: string, expiresIn = 43_200) {
  const signer = new SignatureV4({ service: 'bedrock', region, credentials: c, sha256: Sha256 });
  const p = await signer.presign(
    { method: 'POST', protocol: 'https:', hostname: 'bedrock.amazonaws.com', path: '/', query: { Action: 'CallWithBearerToken' }, headers: { host: 'bedrock.amazonaws.com' } },
    { expiresIn },
  );
  const query = Object.entries(p.query as Record<string, string>).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return `bedrock-api-key-${Buffer.from(`bedrock.amazonaws.com/?${query}&Version=1`).toString('base64')}`;
}

beforeAll(async () => {
  emulator = await startEmulator({ strict: true, credentials: [A, B], quotas: { minRecordsPerJob: 1 } });
  await emulator.clients.s3.send(new CreateBucketCommand({ Bucket: 'batch' }));
  const line = JSON.stringify({ recordId: 'r1', modelInput: JSON.parse(new TextDecoder().decode(haikuBody)) });
  await emulator.clients.s3.send(new PutObjectCommand({ Bucket: 'batch', Key: 'in/input.jsonl', Body: `${line}\n` }));
});
afterAll(() => emulator?.stop());

describe('signed requests', () => {
  it('control plane and runtime answer both accounts (runtime over HTTP/2 and HTTP/1.1)', async () => {
    for (const c of [A, B]) {
      expect((await bedrock(c).send(new ListFoundationModelsCommand({}))).modelSummaries!.length).toBeGreaterThan(10);
      const out = await runtime(c).send(invoke());
      expect(JSON.parse(new TextDecoder().decode(out.body)).content[0].type).toBe('text');
      const h1 = await runtime(c, { requestHandler: new NodeHttpHandler() }).send(invoke());
      expect(h1.$metadata.httpStatusCode).toBe(200);
    }
  });

  it('the harness clients sign with the first configured credential', async () => {
    expect(emulator.env.AWS_ACCESS_KEY_ID).toBe(A.accessKeyId);
    await emulator.clients.bedrockRuntime.send(invoke());
  });

  it('an ARN identifier with "/" and ":" (application inference profile) and a stream', async () => {
    const { inferenceProfileArn } = await bedrock(A).send(
      new CreateInferenceProfileCommand({ inferenceProfileName: 'signed-arn', modelSource: { copyFrom: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}` } }),
    );
    expect(inferenceProfileArn).toMatch(/^arn:aws:bedrock:us-east-1:111111111111:application-inference-profile\//);
    expect((await runtime(A).send(invoke(inferenceProfileArn))).$metadata.httpStatusCode).toBe(200);
    expect((await bedrock(A).send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: inferenceProfileArn }))).inferenceProfileName).toBe('signed-arn');
    const stream = await runtime(A).send(new ConverseStreamCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }));
    let events = 0;
    for await (const _ of stream.stream!) events++;
    expect(events).toBeGreaterThan(3);
  });

  it('a presigned (query-string) request', async () => {
    const url = new URL(emulator.endpoints.bedrock);
    const signer = new SignatureV4({ service: 'bedrock', region: 'us-east-1', credentials: B, sha256: Sha256 });
    const signed = await signer.presign(
      { method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/foundation-models', query: { byProvider: 'Anthropic' }, headers: { host: url.host } },
      { expiresIn: 300 },
    );
    const query = new URLSearchParams(signed.query as Record<string, string>).toString();
    const res = await fetch(`${emulator.endpoints.bedrock}/foundation-models?${query}`);
    expect(res.status).toBe(200);
    const tampered = await fetch(`${emulator.endpoints.bedrock}/foundation-models?${query.replace('Anthropic', 'Amazon')}`);
    expect([tampered.status, tampered.headers.get('x-amzn-errortype')]).toEqual([403, 'InvalidSignatureException']);
  });

  it('boto3 signs and is verified; a wrong secret is refused', async () => {
    const script = `
import boto3, botocore, json
rt = boto3.client("bedrock-runtime")
out = rt.invoke_model(modelId="${HAIKU}", body=json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}]}))
print(json.loads(out["body"].read())["type"])
print(len(boto3.client("bedrock").list_foundation_models()["modelSummaries"]) > 10)
bad = boto3.client("bedrock", aws_access_key_id="${A.accessKeyId}", aws_secret_access_key="wrong")
try:
    bad.list_foundation_models()
except botocore.exceptions.ClientError as e:
    print(e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])
`;
    const { stdout } = await promisify(execFile)('python3', ['-c', script], { env: { ...process.env, ...emulator.env, AWS_MAX_ATTEMPTS: '1' }, timeout: 60_000 });
    expect(stdout.trim().split('\n')).toEqual(['message', 'True', 'InvalidSignatureException 403']);
  });
});

describe('refused requests', () => {
  it('a wrong secret: InvalidSignatureException with the canonical request AWS computed (path double-encoded)', async () => {
    const e = await failure(runtime({ accessKeyId: A.accessKeyId, secretAccessKey: 'not-the-secret' }).send(invoke()));
    expect([e.name, e.status]).toEqual(['InvalidSignatureException', 403]);
    expect(e.message.startsWith(MISMATCH)).toBe(true);
    expect(e.message).toContain('\n/model/anthropic.claude-3-haiku-20240307-v1%253A0/invoke\n');
    expect(e.message).toContain('The String-to-Sign should have been');
  });

  it('an unknown access key: UnrecognizedClientException', async () => {
    const e = await failure(bedrock({ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' }).send(new ListFoundationModelsCommand({})));
    expect(e).toEqual({ name: 'UnrecognizedClientException', status: 403, message: 'The security token included in the request is invalid.' });
  });

  it('no Authorization: MissingAuthenticationTokenException; a malformed one: IncompleteSignatureException', async () => {
    const res = await fetch(`${emulator.endpoints.bedrock}/foundation-models`);
    expect([res.status, res.headers.get('x-amzn-errortype'), await res.json()]).toEqual([403, 'MissingAuthenticationTokenException', { message: 'Missing Authentication Token' }]);
    const bad = await fetch(`${emulator.endpoints.bedrock}/foundation-models`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x' } });
    expect([bad.status, bad.headers.get('x-amzn-errortype')]).toEqual([400, 'IncompleteSignatureException']);
    expect((await bad.json()).message).toMatch(/^Authorization header requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\./);
  });

  it('a body changed after signing: InvalidSignatureException', async () => {
    const client = runtime(A, { requestHandler: new NodeHttpHandler() });
    client.middlewareStack.addRelativeTo(
      (next: any) => async (args: any) => {
        const text = new TextDecoder().decode(args.request.body);
        args.request.body = text.replace('"Hi"', '"Ho"');
        return next(args);
      },
      { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'tamper' },
    );
    const e = await failure(client.send(invoke()));
    expect([e.name, e.status]).toEqual(['InvalidSignatureException', 403]);
  });

  it('a signature made 20 minutes ahead: Signature not yet current', async () => {
    const e = await failure(bedrock(A, { systemClockOffset: 20 * 60_000 }).send(new ListFoundationModelsCommand({})));
    expect(e.name).toBe('InvalidSignatureException');
    expect(e.message).toMatch(/^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/);
  });
});

describe('Bedrock API keys', () => {
  const bearerClient = (token: string) =>
    new BedrockRuntimeClient({ endpoint: emulator.endpoints.bedrockRuntime, region: 'us-east-1', token: { token }, authSchemePreference: ['httpBearerAuth'], maxAttempts: 1 });

  it('a short-term key made with a configured credential acts in its account and region', async () => {
    const out = await bearerClient(await shortTermKey(B, 'us-west-2')).send(invoke());
    expect(out.$metadata.httpStatusCode).toBe(200);
    // The key's region, not the client's: B's profile list in us-west-2 is where a profile made with it lands.
    const res = await fetch(`${emulator.endpoints.bedrock}/inference-profiles`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await shortTermKey(B, 'us-west-2')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ inferenceProfileName: 'by-api-key', modelSource: { copyFrom: `arn:aws:bedrock:us-west-2::foundation-model/${HAIKU}` } }),
    });
    expect((await res.json()).inferenceProfileArn).toMatch(/^arn:aws:bedrock:us-west-2:222222222222:application-inference-profile\//);
  });

  it('a long-term key listed as apiKey is accepted; unknown and forged keys are not', async () => {
    expect((await bearerClient(B.apiKey).send(invoke())).$metadata.httpStatusCode).toBe(200);
    expect((await failure(bearerClient('ABSKnot-a-configured-key').send(invoke()))).name).toBe('UnrecognizedClientException');
    const forged = await shortTermKey({ accessKeyId: A.accessKeyId, secretAccessKey: 'guess' }, 'us-east-1');
    expect(await failure(bearerClient(forged).send(invoke()))).toMatchObject({ name: 'UnrecognizedClientException', status: 403 });
  });
});

describe('account isolation', () => {
  const job = (c: Cred & { account: string }, name: string) =>
    bedrock(c).send(
      new CreateModelInvocationJobCommand({
        jobName: name,
        roleArn: `arn:aws:iam::${c.account}:role/BatchRole`,
        modelId: HAIKU,
        inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://batch/in/' } },
        outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://batch/out-${c.account}/` } },
      }),
    );

  it("B cannot get, stop, list or tag A's job; ARNs carry the caller's account", async () => {
    const { jobArn } = await job(A, 'job-of-a');
    expect(jobArn).toMatch(/^arn:aws:bedrock:us-east-1:111111111111:model-invocation-job\/[a-z0-9]{12}$/);
    const id = jobArn!.split('/')[1];
    const b = bedrock(B);
    for (const identifier of [jobArn!, id]) {
      expect((await failure(b.send(new GetModelInvocationJobCommand({ jobIdentifier: identifier })))).name).toBe('ResourceNotFoundException');
      expect((await failure(b.send(new StopModelInvocationJobCommand({ jobIdentifier: identifier })))).name).toBe('ResourceNotFoundException');
    }
    expect((await b.send(new ListModelInvocationJobsCommand({}))).invocationJobSummaries ?? []).toEqual([]);
    expect((await failure(b.send(new ListTagsForResourceCommand({ resourceARN: jobArn })))).name).toBe('AccessDeniedException');
    expect((await failure(b.send(new TagResourceCommand({ resourceARN: jobArn, tags: [{ key: 'k', value: 'v' }] })))).name).toBe('AccessDeniedException');

    const { jobArn: jobOfB } = await job(B, 'job-of-b');
    expect(jobOfB).toMatch(/:222222222222:model-invocation-job\//);
    expect((await b.send(new ListModelInvocationJobsCommand({}))).invocationJobSummaries!.map((j) => j.jobArn)).toEqual([jobOfB]);
    const ofA = (await bedrock(A).send(new ListModelInvocationJobsCommand({}))).invocationJobSummaries!.map((j) => j.jobArn);
    expect(ofA).toContain(jobArn);
    expect(ofA).not.toContain(jobOfB);
    expect((await bedrock(A).send(new GetModelInvocationJobCommand({ jobIdentifier: id }))).jobName).toBe('job-of-a');
  });

  it("B cannot pass A's role to a job (IAM passes roles within their account only)", async () => {
    const create = (roleArn: string) =>
      bedrock(B).send(new CreateModelInvocationJobCommand({
        jobName: 'cross-account', roleArn, modelId: HAIKU,
        inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://batch/in/' } },
        outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://batch/out-cross/' } },
      }));
    expect(await failure(create(`arn:aws:iam::${A.account}:role/BatchRole`))).toEqual({ name: 'AccessDeniedException', status: 403, message: 'Cross-account pass role is not allowed.' });
    expect((await create(`arn:aws:iam::${B.account}:role/BatchRole`)).jobArn).toMatch(/:222222222222:model-invocation-job\//);
  });

  it("B cannot see or invoke A's application inference profile", async () => {
    const { inferenceProfileArn } = await bedrock(A).send(
      new CreateInferenceProfileCommand({ inferenceProfileName: 'profile-of-a', modelSource: { copyFrom: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}` } }),
    );
    const b = bedrock(B);
    expect((await failure(b.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: inferenceProfileArn })))).name).toBe('ResourceNotFoundException');
    const listed = (await b.send(new ListInferenceProfilesCommand({ typeEquals: 'APPLICATION' }))).inferenceProfileSummaries ?? [];
    expect(listed.map((p) => p.inferenceProfileArn)).not.toContain(inferenceProfileArn);
    expect(await failure(runtime(B).send(invoke(inferenceProfileArn)))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    expect((await failure(b.send(new ListTagsForResourceCommand({ resourceARN: inferenceProfileArn })))).name).toBe('AccessDeniedException');
    expect((await runtime(A).send(invoke(inferenceProfileArn))).$metadata.httpStatusCode).toBe(200);
  });
});

describe('configuration', () => {
  it('--strict, BEDROCK_EMULATOR_STRICT and the config endpoint', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bbe-strict-')), 'config.json');
    writeFileSync(file, JSON.stringify({ credentials: [A] }));
    expect(loadConfig(['--config', file, '--strict', '--port', '1'], {}).strict).toBe(true);
    expect(loadConfig(['--config', file, '--strict=false'], { BEDROCK_EMULATOR_STRICT: 'true' }).strict).toBe(false);
    expect(loadConfig([], { BEDROCK_EMULATOR_CONFIG: file, BEDROCK_EMULATOR_STRICT: 'true' }).strict).toBe(true);
    writeFileSync(file, JSON.stringify({ strict: true, credentials: [B] }));
    expect(loadConfig(['--config', file], {}).credentials[0].apiKey).toBe(B.apiKey);
    expect(loadConfig([], {}).strict).toBe(false);
    expect(() => loadConfig(['--strict'], {})).toThrow(/strict mode needs at least one entry in 'credentials'/);
    expect(() => loadConfig(['--strict', 'maybe'], {})).toThrow(/takes true or false/);
    const set = (patch: object) => fetch(`${emulator.endpoints.bedrock}/_emulator/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) });
    expect((await set({ strict: true, credentials: [] })).status).toBe(400);
    // Strict off: anything goes again, unsigned or signed with any key, in the default account.
    expect((await set({ strict: false })).status).toBe(200);
    expect((await fetch(`${emulator.endpoints.bedrock}/foundation-models`)).status).toBe(200);
    await bedrock({ accessKeyId: 'anything', secretAccessKey: 'at-all' }).send(new ListFoundationModelsCommand({}));
    expect((await set({ strict: true })).status).toBe(200);
    expect((await fetch(`${emulator.endpoints.bedrock}/foundation-models`)).status).toBe(403);
  });
});

// Last: the emulator clock never runs backwards.
describe('request time', () => {
  it('the emulator clock 20 minutes ahead of the signature: Signature expired', async () => {
    await emulator.clock.advance(20 * 60_000);
    const e = await failure(bedrock(A).send(new ListFoundationModelsCommand({})));
    expect([e.name, e.status]).toEqual(['InvalidSignatureException', 403]);
    expect(e.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  });

  it('a short-term API key past its expiry: ExpiredTokenException', async () => {
    const res = await fetch(`${emulator.endpoints.bedrock}/foundation-models`, { headers: { authorization: `Bearer ${await shortTermKey(A, 'us-east-1', 600)}` } });
    expect([res.status, res.headers.get('x-amzn-errortype'), await res.json()]).toEqual([403, 'ExpiredTokenException', { message: 'The security token included in the request is expired' }]);
  });
});
