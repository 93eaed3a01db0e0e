// CreateModelInvocationJob, GetModelInvocationJob, ListModelInvocationJobs, StopModelInvocationJob.
import { createHash, randomInt } from 'node:crypto';
import type { ModelInvocationJobSummary } from '@aws-sdk/client-bedrock';
import { checkNewTags } from '../control/tags.js';
import type { OpContext } from '../dispatch.js';
import { AwsError } from '../errors.js';
import type { OperationInput, OperationOutput, Validated } from '../operations.js';
import { resolveForCaller } from '../runtime/model-resolution.js';
import { formatBedrockArn, getSystemProfile, parseBedrockArn, systemProfileArn } from '../../registry/index.js';
import { ACTIVE, TIMED } from './lifecycle.js';
import type { Job } from './store.js';

export type CreateInput = OperationInput<'CreateModelInvocationJob'>;

const DEFAULT_TIMEOUT_HOURS = 24;

const newJobId = () => Array.from({ length: 12 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[randomInt(36)]).join('');
const hashOf = (input: CreateInput) =>
  createHash('sha256').update(JSON.stringify({ ...input, clientRequestToken: undefined, tags: undefined })).digest('hex');

/** The account a role ARN names; the pattern lets it be left out (`arn:aws:iam::role/…`), which means the caller's. */
const roleAccount = (roleArn: string) => /^arn:[^:]+:iam::(\d{12}):/.exec(roleArn)?.[1];

export function createModelInvocationJob(input: CreateInput, ctx: OpContext): OperationOutput<'CreateModelInvocationJob'> {
  return { jobArn: createJob(input, ctx).arn };
}

/** A new job, saved and started; `kind` fills in what another API's jobs keep (the OpenAI Batch API's). */
export function createJob(input: CreateInput, ctx: OpContext, kind?: (job: Job) => void): Job {
  const { emu } = ctx;
  // IAM passes a role only to a service in the role's own account. Callers have accounts only in strict mode; without
  // it every caller is the default account, and a role ARN copied from a real account should still work.
  const passed = roleAccount(input.roleArn);
  if (emu.config.get().strict && passed && passed !== ctx.account) throw new AwsError('AccessDeniedException', 'Cross-account pass role is not allowed.');
  const paramsHash = hashOf(input);
  if (input.clientRequestToken) {
    const existing = emu.jobs.store.byToken(ctx, input.clientRequestToken);
    if (existing) {
      if (existing.paramsHash !== paramsHash) {
        throw new AwsError('ConflictException', `The clientRequestToken ${input.clientRequestToken} was already used for a different request.`);
      }
      return existing;
    }
  }
  // A job's name stays taken whatever its status (jobs cannot be deleted), as for Bedrock's other job types.
  if (emu.jobs.store.list(ctx).some((j) => j.jobName === input.jobName)) throw new AwsError('ValidationException', 'The provided job name is currently in use.');
  const resolved = resolveForCaller(ctx, input.modelId, 'batch');
  const config = emu.config.get();
  const limit = config.quotas.maxConcurrentJobsPerModel;
  if (emu.jobs.store.countActive(ctx, resolved.model.id, ACTIVE) >= limit) {
    throw new AwsError(
      'ServiceQuotaExceededException',
      `You have reached the quota of ${limit} batch inference jobs submitted or in progress for ${resolved.model.id} in ${ctx.region} (Batch inference jobs per model per region). Wait for a job to finish, or request a quota increase.`,
    );
  }
  const id = newJobId();
  const arn = formatBedrockArn({ region: ctx.region, account: ctx.account, resourceType: 'model-invocation-job', resourceId: id });
  if (input.tags?.length) checkNewTags(arn, [], input.tags);
  const now = emu.clock.now();
  const timeout = input.timeoutDurationInHours ?? DEFAULT_TIMEOUT_HOURS;
  const job: Job = {
    account: ctx.account,
    region: ctx.region,
    id,
    arn,
    jobName: input.jobName,
    // A system profile id reads back as the profile's ARN (AWS's Get and List do); anything else as given.
    modelId: getSystemProfile(input.modelId, emu.catalog) ? systemProfileArn(input.modelId, ctx.region, ctx.account) : input.modelId,
    baseModelId: resolved.model.id,
    roleArn: input.roleArn,
    clientRequestToken: input.clientRequestToken,
    paramsHash,
    inputDataConfig: input.inputDataConfig,
    outputDataConfig: input.outputDataConfig,
    vpcConfig: input.vpcConfig,
    timeoutDurationInHours: timeout,
    modelInvocationType: input.modelInvocationType ?? 'InvokeModel',
    status: 'Submitted',
    submitTime: now,
    lastModifiedTime: now,
    statusSince: now,
    jobExpirationTime: now + timeout * 3_600_000,
    durations: Object.fromEntries(TIMED.map((s) => [s, emu.config.durationOf(s)])),
    recordsPerSecond: config.recordsPerSecond,
    failureRate: emu.jobs.failureRate,
    // AWS's Get reports the record counts as 0 from submission, before validation has counted the input.
    totalRecordCount: 0,
    processedRecordCount: 0,
    successRecordCount: 0,
    errorRecordCount: 0,
  };
  kind?.(job);
  emu.jobs.store.create(job);
  if (input.tags?.length) emu.tags.set(ctx, arn, input.tags);
  emu.jobs.engine.start(job);
  return job;
}

export function findJob(ctx: OpContext, identifier: string): Job {
  const arn = parseBedrockArn(identifier, 'model-invocation-job');
  const id = arn ? arn.resourceId : identifier;
  const job = arn && (arn.region !== ctx.region || arn.account !== ctx.account) ? undefined : ctx.emu.jobs.store.get(ctx, id);
  if (!job) throw new AwsError('ResourceNotFoundException', `The batch inference job ${identifier} was not found.`);
  return job;
}

function date(ms: number): Date;
function date(ms?: number): Date | undefined;
function date(ms?: number) {
  return ms === undefined ? undefined : new Date(ms);
}

/** A job as GetModelInvocationJob answers it and as ListModelInvocationJobs lists it. */
export function describe(job: Job): OperationOutput<'GetModelInvocationJob'> & Validated<ModelInvocationJobSummary> {
  return {
    ...job,
    jobArn: job.arn,
    submitTime: date(job.submitTime),
    lastModifiedTime: date(job.lastModifiedTime),
    endTime: date(job.endTime),
    jobExpirationTime: date(job.jobExpirationTime),
  };
}

export function getModelInvocationJob(input: OperationInput<'GetModelInvocationJob'>, ctx: OpContext): OperationOutput<'GetModelInvocationJob'> {
  return describe(findJob(ctx, input.jobIdentifier));
}

export function stopModelInvocationJob(input: OperationInput<'StopModelInvocationJob'>, ctx: OpContext): OperationOutput<'StopModelInvocationJob'> {
  ctx.emu.jobs.engine.stop(findJob(ctx, input.jobIdentifier));
  return {};
}

/** Filter and sort first, then cut the page; the token names the query it belongs to and the offset. */
export function listModelInvocationJobs(input: OperationInput<'ListModelInvocationJobs'>, ctx: OpContext): OperationOutput<'ListModelInvocationJobs'> {
  const query = createHash('sha256').update(JSON.stringify({ ...input, nextToken: undefined, maxResults: undefined })).digest('hex').slice(0, 16);
  let offset = 0;
  if (input.nextToken) {
    const [q, o] = Buffer.from(input.nextToken, 'base64url').toString('utf8').split(':');
    offset = Number(o);
    if (q !== query || !Number.isInteger(offset) || offset < 0) throw new AwsError('ValidationException', 'The provided nextToken is not valid for this request.');
  }
  const descending = (input.sortOrder ?? 'Descending') === 'Descending';
  const jobs = ctx.emu.jobs.store
    .list(ctx)
    .filter(
      (j) =>
        (!input.statusEquals || j.status === input.statusEquals) &&
        (!input.nameContains || j.jobName.includes(input.nameContains)) &&
        (!input.submitTimeAfter || j.submitTime > input.submitTimeAfter.getTime()) &&
        (!input.submitTimeBefore || j.submitTime < input.submitTimeBefore.getTime()),
    )
    .sort((a, b) => (a.submitTime - b.submitTime || (a.id < b.id ? -1 : 1)) * (descending ? -1 : 1));
  const size = input.maxResults ?? 1000;
  const page = jobs.slice(offset, offset + size);
  const next = offset + size < jobs.length ? Buffer.from(`${query}:${offset + size}`).toString('base64url') : undefined;
  return { invocationJobSummaries: page.map(describe), nextToken: next };
}
