// CreateModelInvocationJob, GetModelInvocationJob, ListModelInvocationJobs and StopModelInvocationJob as the service
// model (botocore bedrock 2023-04-20) and AWS's API reference document them, driven through the AWS SDK with the
// emulator's clock (timing `manual`: nothing moves unless the clock is advanced). Expected values are written here:
// - CreateModelInvocationJob: the job ARN is `arn:aws:bedrock:<region>:<account>:model-invocation-job/<12 [a-z0-9]>`
//   (ModelInvocationJobArn); clientRequestToken "If this token matches a previous request, Amazon Bedrock ignores the
//   request"; modelInvocationType defaults to InvokeModel (user guide, batch-inference-create); tag keys starting with
//   `aws:` are reserved (AWS tagging guide); roleArn may leave its account out (`iam::([0-9]{12})?:role/`).
// - GetModelInvocationJob: `jobIdentifier` is the job's ARN or its 12-character id; the timeout is
//   `timeoutDurationInHours` and `jobExpirationTime` "the time at which the batch inference job times or timed out".
// - ListModelInvocationJobs: summaries carry Get's members; filters statusEquals, nameContains ("whose names contain
//   the string"), submitTimeAfter / submitTimeBefore ("submitted after / before the time you specify"); sortBy
//   CreationTime, sortOrder Ascending | Descending; maxResults 1–1000 with a nextToken "if there are more results".
// - StopModelInvocationJob: 200 with an empty body; the job goes to Stopping.
import {
  BedrockClient,
  CreateModelInvocationJobCommand,
  type CreateModelInvocationJobCommandInput,
  GetModelInvocationJobCommand,
  ListModelInvocationJobsCommand,
  type ListModelInvocationJobsCommandInput,
  ListTagsForResourceCommand,
  StopModelInvocationJobCommand,
} from '@aws-sdk/client-bedrock';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';
import { claude, putJsonl, ROLE } from '../jobs/helpers.js';

const HOUR = 3_600_000;
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const ACCOUNT = '123456789012';
const JOB_ARN = /^arn:aws:bedrock:us-east-1:123456789012:model-invocation-job\/[a-z0-9]{12}$/;

// The published harness (startEmulator): its clients, and its clock, whose advance resolves once due job work ran.
let env: EmulatorHandle;
let bedrock: BedrockClient;
const clientIn = (region: string) =>
  new BedrockClient({ endpoint: env.endpoints.bedrock, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
beforeAll(async () => {
  env = await startEmulator({ timing: 'manual', quotas: { minRecordsPerJob: 1, maxConcurrentJobsPerModel: 1000 } });
  bedrock = clientIn('us-east-1');
  await putJsonl(env.clients.s3, 'handlers-in', 'in.jsonl', [{ recordId: 'r1', modelInput: claude('hello') }]);
  await putJsonl(env.clients.s3, 'handlers-out', 'keep', []);
});
afterAll(() => env?.stop());

let made = 0;
const uniqueName = (prefix = 'h') => `${prefix}-${++made}`;
const request = (extra: Partial<CreateModelInvocationJobCommandInput> = {}): CreateModelInvocationJobCommandInput => ({
  jobName: uniqueName(),
  roleArn: ROLE,
  modelId: HAIKU,
  inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://handlers-in/in.jsonl' } },
  outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://handlers-out/out/' } },
  ...extra,
});
const create = async (extra: Partial<CreateModelInvocationJobCommandInput> = {}, client = bedrock) =>
  (await client.send(new CreateModelInvocationJobCommand(request(extra)))).jobArn!;
const get = (jobIdentifier: string, client = bedrock) => client.send(new GetModelInvocationJobCommand({ jobIdentifier }));
const stop = (jobIdentifier: string, client = bedrock) => client.send(new StopModelInvocationJobCommand({ jobIdentifier }));
const failure = (p: Promise<unknown>) =>
  p.then(
    () => expect.unreachable('the call succeeded'),
    (e: Error & { $metadata?: { httpStatusCode?: number } }) => ({ name: e.name, status: e.$metadata?.httpStatusCode, message: e.message }),
  );
const now = () => env.clock.now();
const advance = (ms: number) => env.clock.advance(ms);

describe('CreateModelInvocationJob', () => {
  it('answers a job ARN in the caller region and account, 12 lowercase letters and digits', async () => {
    const a = await create();
    const b = await create();
    expect(a).toMatch(JOB_ARN);
    expect(b).toMatch(JOB_ARN);
    expect(a).not.toBe(b);
    const west = clientIn('us-west-2');
    expect(await create({}, west)).toMatch(/^arn:aws:bedrock:us-west-2:123456789012:model-invocation-job\/[a-z0-9]{12}$/);
  });

  it('reads back what was submitted, Submitted at the submission time, with the documented defaults', async () => {
    const before = now();
    const req = request({
      clientRequestToken: 'c0ffee00-1111-4222-8333-944455556666',
      vpcConfig: { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'] },
    });
    const { jobArn } = await bedrock.send(new CreateModelInvocationJobCommand(req));
    const after = now();
    const job = await get(jobArn!);
    expect(job).toMatchObject({
      jobArn,
      jobName: req.jobName,
      roleArn: ROLE,
      modelId: HAIKU,
      clientRequestToken: req.clientRequestToken,
      inputDataConfig: req.inputDataConfig,
      outputDataConfig: req.outputDataConfig,
      vpcConfig: req.vpcConfig,
      status: 'Submitted',
      modelInvocationType: 'InvokeModel',
      timeoutDurationInHours: 24,
    });
    const submitted = job.submitTime!.getTime();
    expect(submitted).toBeGreaterThanOrEqual(before);
    expect(submitted).toBeLessThanOrEqual(after);
    expect(job.lastModifiedTime!.getTime()).toBe(submitted);
    expect(job.jobExpirationTime!.getTime()).toBe(submitted + 24 * HOUR);
    expect(job.endTime).toBeUndefined();
    expect(job.message).toBeUndefined();
  });

  it('keeps the timeout and invocation type it is given', async () => {
    const job = await get(await create({ timeoutDurationInHours: 72, modelInvocationType: 'Converse' }));
    expect([job.timeoutDurationInHours, job.modelInvocationType]).toEqual([72, 'Converse']);
    expect(job.jobExpirationTime!.getTime()).toBe(job.submitTime!.getTime() + 72 * HOUR);
  });

  it('a repeated clientRequestToken answers the first job, even after it moved on; other parameters conflict', async () => {
    const token = 'aaaabbbb-1111-4222-8333-944455556666';
    const req = request({ clientRequestToken: token });
    const first = (await bedrock.send(new CreateModelInvocationJobCommand(req))).jobArn!;
    await advance(HOUR);
    expect((await get(first)).status).toBe('Validating');
    expect((await bedrock.send(new CreateModelInvocationJobCommand(req))).jobArn).toBe(first);
    const other = await failure(bedrock.send(new CreateModelInvocationJobCommand({ ...req, timeoutDurationInHours: 48 })));
    expect([other.name, other.status]).toEqual(['ConflictException', 400]);
    expect(other.message).toContain(token);
    // Without a token, the same parameters under a new name make a new job.
    const names = (await bedrock.send(new ListModelInvocationJobsCommand({}))).invocationJobSummaries!.filter((j) => j.jobName === req.jobName);
    expect(names).toHaveLength(1);
  });

  it('accepts a request without clientRequestToken (optional in the service model; the SDKs fill one, plain HTTP need not)', async () => {
    const { clientRequestToken: _, ...body } = request();
    const res = await fetch(`${env.endpoints.bedrock}/model-invocation-job`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    const { jobArn } = (await res.json()) as { jobArn: string };
    expect(jobArn).toMatch(JOB_ARN);
    const job = await get(jobArn);
    expect([job.jobName, job.clientRequestToken]).toEqual([body.jobName, undefined]);
  });

  it('a request with the same parameters and no token is a new request: the name is taken', async () => {
    const req = request();
    await bedrock.send(new CreateModelInvocationJobCommand(req));
    const again = await failure(bedrock.send(new CreateModelInvocationJobCommand(req)));
    expect([again.name, again.status]).toEqual(['ValidationException', 400]);
  });

  it("refuses a tag key with AWS's reserved 'aws:' prefix and makes no job; tags given are listed, none when none given", async () => {
    const jobName = uniqueName('tags');
    const err = await failure(create({ jobName, tags: [{ key: 'aws:team', value: 'ml' }] }));
    expect([err.name, err.status]).toEqual(['ValidationException', 400]);
    expect(err.message).toContain('aws:team');
    const listed = await bedrock.send(new ListModelInvocationJobsCommand({ nameContains: jobName }));
    expect(listed.invocationJobSummaries ?? []).toEqual([]);
    const untagged = await create();
    expect((await bedrock.send(new ListTagsForResourceCommand({ resourceARN: untagged }))).tags ?? []).toEqual([]);
    const tagged = await create({ tags: [{ key: 'team', value: 'ml' }, { key: 'cost-centre', value: '42' }] });
    expect((await bedrock.send(new ListTagsForResourceCommand({ resourceARN: tagged }))).tags).toEqual([
      { key: 'team', value: 'ml' },
      { key: 'cost-centre', value: '42' },
    ]);
  });

  // The service model's TooManyTagsException: "50 tags per resource". CreateModelInvocationJob's modelled errors do not
  // list it, so only the refusal (400) is pinned, not which error type names it.
  it('takes 50 tags, the most a resource may have, and refuses 51, making no job', async () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
    const fifty = await create({ tags: tags(50) });
    expect((await bedrock.send(new ListTagsForResourceCommand({ resourceARN: fifty }))).tags).toHaveLength(50);
    const jobName = uniqueName('tags');
    expect((await failure(create({ jobName, tags: tags(51) }))).status).toBe(400);
    expect((await bedrock.send(new ListModelInvocationJobsCommand({ nameContains: jobName }))).invocationJobSummaries ?? []).toEqual([]);
  });

  it('outside strict mode every caller is one account: a role ARN of another account, or of none, is accepted', async () => {
    for (const roleArn of ['arn:aws:iam::999999999999:role/BatchRole', 'arn:aws:iam:::role/BatchRole']) {
      const job = await get(await create({ roleArn }));
      expect(job.roleArn).toBe(roleArn);
    }
  });
});

describe('CreateModelInvocationJob in strict mode (IAM passes a role only within its account)', () => {
  const A = { accessKeyId: 'AKIAJOBHANDLERS00001', secretAccessKey: 'secret-a', account: '111111111111' };
  let strict: EmulatorHandle;
  let client: BedrockClient;
  beforeAll(async () => {
    strict = await startEmulator({ strict: true, credentials: [A], timing: 'manual', quotas: { minRecordsPerJob: 1 } });
    await strict.clients.s3.send(new CreateBucketCommand({ Bucket: 'strict-in' }));
    await strict.clients.s3.send(new PutObjectCommand({ Bucket: 'strict-in', Key: 'in.jsonl', Body: `${JSON.stringify({ recordId: 'r', modelInput: claude('x') })}\n` }));
    client = new BedrockClient({ endpoint: strict.endpoints.bedrock, region: 'us-east-1', credentials: A, maxAttempts: 1 });
  });
  afterAll(async () => {
    client?.destroy();
    await strict?.stop();
  });
  const createAs = (roleArn: string) =>
    client.send(new CreateModelInvocationJobCommand({
      jobName: uniqueName('strict'), roleArn, modelId: HAIKU,
      inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://strict-in/in.jsonl' } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://strict-in/out/' } },
    }));

  it("accepts the caller's own role and a role ARN without an account; refuses another account's role", async () => {
    expect((await createAs('arn:aws:iam::111111111111:role/BatchRole')).jobArn).toMatch(/:111111111111:model-invocation-job\//);
    expect((await createAs('arn:aws:iam:::role/BatchRole')).jobArn).toMatch(/:111111111111:model-invocation-job\//);
    expect(await failure(createAs('arn:aws-us-gov:iam::222222222222:role/BatchRole'))).toMatchObject({ name: 'AccessDeniedException', status: 403 });
  });
});

describe('GetModelInvocationJob and StopModelInvocationJob: which job an identifier names', () => {
  it('finds a job by its ARN and by its 12-character id', async () => {
    const arn = await create();
    const id = arn.split('/')[1];
    expect((await get(arn)).jobArn).toBe(arn);
    expect((await get(id)).jobArn).toBe(arn);
  });

  it('answers ResourceNotFoundException, naming the identifier, for an unknown id and for an ARN of another account or region', async () => {
    const arn = await create();
    const id = arn.split('/')[1];
    const unknown = id === 'zzzzzzzzzzzz' ? 'yyyyyyyyyyyy' : 'zzzzzzzzzzzz';
    for (const identifier of [
      unknown,
      arn.replace(`:${ACCOUNT}:`, ':999999999999:'),
      arn.replace(':us-east-1:', ':eu-west-1:'),
    ]) {
      for (const call of [get, stop]) {
        const err = await failure(call(identifier));
        expect([err.name, err.status], `${call.name} ${identifier}`).toEqual(['ResourceNotFoundException', 404]);
        expect(err.message).toContain(identifier);
      }
    }
    expect((await get(arn)).status).toBe('Submitted');
  });

  it('StopModelInvocationJob answers 200 with an empty body and the job is Stopping, then Stopped', async () => {
    const arn = await create();
    const out = await stop(arn.split('/')[1]);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(Object.keys(out).filter((k) => k !== '$metadata')).toEqual([]);
    expect((await get(arn)).status).toBe('Stopping');
    await advance(HOUR);
    expect((await get(arn)).status).toBe('Stopped');
  });
});

describe('ListModelInvocationJobs', () => {
  // Its own region, so that only this block's jobs are listed.
  const region = 'eu-west-1';
  let client: BedrockClient;
  const NAMES = ['alpha-one', 'beta-two', 'gamma-three', 'delta-four', 'epsilon-five'];
  const jobs: { name: string; arn: string; at: number }[] = [];
  beforeAll(async () => {
    client = clientIn(region);
    // Five jobs a minute apart on the emulator's clock; each one's submitTime as Get answers it.
    for (const name of NAMES) {
      const arn = (await client.send(new CreateModelInvocationJobCommand(request({ jobName: name })))).jobArn!;
      jobs.push({ name, arn, at: (await client.send(new GetModelInvocationJobCommand({ jobIdentifier: arn }))).submitTime!.getTime() });
      await advance(60_000);
    }
  });

  const list = async (input: ListModelInvocationJobsCommandInput = {}) => client.send(new ListModelInvocationJobsCommand(input));
  const names = async (input: ListModelInvocationJobsCommandInput = {}) => ((await list(input)).invocationJobSummaries ?? []).map((j) => j.jobName);
  async function allPages(input: ListModelInvocationJobsCommandInput) {
    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await list({ ...input, nextToken });
      pages.push(page.invocationJobSummaries!.map((j) => j.jobName!));
      nextToken = page.nextToken;
    } while (nextToken);
    return pages;
  }

  it('lists nothing in a region without jobs', async () => {
    const empty = await clientIn('ap-south-1').send(new ListModelInvocationJobsCommand({}));
    expect(empty.invocationJobSummaries ?? []).toEqual([]);
    expect(empty.nextToken).toBeUndefined();
  });

  it('sorts by creation time, newest first unless Ascending, and pages walk the same order', async () => {
    const newestFirst = [...NAMES].reverse();
    expect(await names()).toEqual(newestFirst);
    expect(await names({ sortBy: 'CreationTime', sortOrder: 'Descending' })).toEqual(newestFirst);
    expect(await names({ sortBy: 'CreationTime', sortOrder: 'Ascending' })).toEqual(NAMES);
    expect((await allPages({ maxResults: 1 })).flat()).toEqual(newestFirst);
    expect((await allPages({ maxResults: 2, sortOrder: 'Ascending' })).flat()).toEqual(NAMES);
  });

  it('a nextToken only when more results remain', async () => {
    expect((await allPages({ maxResults: 5 })).map((p) => p.length)).toEqual([5]);
    expect((await allPages({ maxResults: 1000 })).map((p) => p.length)).toEqual([5]);
    expect((await allPages({})).map((p) => p.length)).toEqual([5]);
    expect((await allPages({ maxResults: 4 })).map((p) => p.length)).toEqual([4, 1]);
    expect((await allPages({ maxResults: 2 })).map((p) => p.length)).toEqual([2, 2, 1]);
    // Four names hold an 'a': two full pages and no third.
    expect((await allPages({ maxResults: 2, nameContains: 'a' })).map((p) => p.length)).toEqual([2, 2]);
  });

  it('a nextToken belongs to its query: the same filters continue (any page size), other filters are refused', async () => {
    const first = await list({ maxResults: 2, sortOrder: 'Ascending' });
    const rest = await list({ maxResults: 10, sortOrder: 'Ascending', nextToken: first.nextToken });
    expect([...first.invocationJobSummaries!, ...rest.invocationJobSummaries!].map((j) => j.jobName)).toEqual((await names({ sortOrder: 'Ascending' })));
    for (const other of [{ sortOrder: 'Descending' as const }, { nameContains: 'a' }, { statusEquals: 'Submitted' as const }]) {
      const err = await failure(list({ maxResults: 2, ...other, nextToken: first.nextToken }));
      expect([err.name, err.status], JSON.stringify(other)).toEqual(['ValidationException', 400]);
      expect(err.message).toContain('nextToken');
    }
  });

  it('filters by name (contains), status, and submit time strictly after / before', async () => {
    expect(await names({ nameContains: 'two' })).toEqual(['beta-two']);
    expect(await names({ nameContains: 'ta-', sortOrder: 'Ascending' })).toEqual(['beta-two', 'delta-four']);
    const [alpha, beta, gamma, delta] = jobs;
    // A job submitted at the very time given is neither after nor before it.
    expect(await names({ submitTimeAfter: new Date(beta.at), sortOrder: 'Ascending' })).toEqual(['gamma-three', 'delta-four', 'epsilon-five']);
    expect(await names({ submitTimeBefore: new Date(gamma.at), sortOrder: 'Ascending' })).toEqual(['alpha-one', 'beta-two']);
    expect(await names({ submitTimeAfter: new Date(alpha.at), submitTimeBefore: new Date(delta.at), sortOrder: 'Ascending' })).toEqual(['beta-two', 'gamma-three']);
    expect(await names({ submitTimeAfter: new Date(alpha.at - 1), submitTimeBefore: new Date(alpha.at + 1) })).toEqual(['alpha-one']);
    // Status: stop one job; it alone is Stopping.
    await client.send(new StopModelInvocationJobCommand({ jobIdentifier: beta.arn }));
    expect(await names({ statusEquals: 'Stopping' })).toEqual(['beta-two']);
    expect(await names({ statusEquals: 'Submitted', nameContains: 'ta-' })).toEqual(['delta-four']);
    expect(await names({ statusEquals: 'Submitted', submitTimeBefore: new Date(delta.at), sortOrder: 'Ascending' })).toEqual(['alpha-one', 'gamma-three']);
    expect(await names({ statusEquals: 'Completed' })).toEqual([]);
  });

  it("each summary answers GetModelInvocationJob's members for the job", async () => {
    const { invocationJobSummaries } = await list();
    for (const summary of invocationJobSummaries!) {
      const { $metadata: _, ...job } = await client.send(new GetModelInvocationJobCommand({ jobIdentifier: summary.jobArn }));
      expect(summary).toEqual(job);
    }
  });
});
