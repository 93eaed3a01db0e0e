// Inference profiles: the registry's system-defined (cross-region) profiles, visible from their source regions,
// and the application profiles users create (ProfileStore). List filters, sorts, then cuts pages with opaque
// cursors; Create is idempotent on clientRequestToken; only application profiles can be deleted.
import {
  foundationModelArn,
  getModel,
  getSystemProfile,
  parseBedrockArn,
  profileDestinations,
  resolveModel,
  systemProfileArn,
  systemProfilesInRegion,
  type SystemProfile,
} from '../../registry/index.js';
import type { InferenceProfileSummary as SdkInferenceProfileSummary } from '@aws-sdk/client-bedrock';
import type { OpContext } from '../dispatch.js';
import { AwsError, notFound } from '../errors.js';
import type { OperationInput, OperationOutput, Validated } from '../operations.js';
import { applicationProfileArn, newProfileId, type ApplicationProfile } from '../stores/profiles.js';
import { checkNewTags } from './tags.js';

/** AWS's default quota of application inference profiles per account and region. */
export const MAX_APPLICATION_PROFILES = 1000;

/** System profiles carry AWS's creation dates; the emulator gives them all one fixed date. */
export const SYSTEM_PROFILE_DATE = new Date('2024-08-27T00:00:00Z');

export type InferenceProfileSummary = Validated<SdkInferenceProfileSummary>;

const joinRegions = (regions: string[]) => (regions.length < 2 ? regions.join('') : `${regions.slice(0, -1).join(', ')} and ${regions.at(-1)}`);

function systemSummary(p: SystemProfile, ctx: OpContext): InferenceProfileSummary {
  const destinations = profileDestinations(p, ctx.region);
  const model = getModel(p.modelId, ctx.emu.catalog);
  return {
    inferenceProfileName: p.name,
    description: `Routes requests to ${model ? `${model.provider} ${model.name}` : p.modelId} in ${joinRegions(destinations)}.`,
    createdAt: SYSTEM_PROFILE_DATE,
    updatedAt: SYSTEM_PROFILE_DATE,
    inferenceProfileArn: systemProfileArn(p.id, ctx.region, ctx.account),
    models: destinations.map((r) => ({ modelArn: foundationModelArn(p.modelId, r) })),
    inferenceProfileId: p.id,
    status: 'ACTIVE',
    type: 'SYSTEM_DEFINED',
  };
}

function applicationSummary(p: ApplicationProfile): InferenceProfileSummary {
  return {
    inferenceProfileName: p.name,
    ...(p.description !== undefined ? { description: p.description } : {}),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    inferenceProfileArn: p.arn,
    models: p.models.map((modelArn) => ({ modelArn })),
    inferenceProfileId: p.id,
    status: 'ACTIVE',
    type: 'APPLICATION',
  };
}

/** A system profile usable from the caller's region (one of its source regions), if the id names one. */
function systemProfileFor(ctx: OpContext, id: string): SystemProfile | undefined {
  const p = getSystemProfile(id, ctx.emu.catalog);
  return p && p.sourceRegions.includes(ctx.region) ? p : undefined;
}

type Found = { kind: 'system'; profile: SystemProfile } | { kind: 'application'; profile: ApplicationProfile };

/** Resolves an id or ARN to a profile visible to the caller: its region's application profiles and the system
 * profiles whose source regions include its region. */
function findProfile(ctx: OpContext, identifier: string): Found | undefined {
  const arn = parseBedrockArn(identifier, 'inference-profile', 'application-inference-profile');
  if (arn) {
    const { region, account, resourceType, resourceId: id } = arn;
    if (region !== ctx.region || (account !== '' && account !== ctx.account)) return undefined;
    if (resourceType === 'application-inference-profile') {
      const profile = ctx.emu.profiles.get(ctx, id);
      return profile && { kind: 'application', profile };
    }
    const profile = systemProfileFor(ctx, id);
    return profile && { kind: 'system', profile };
  }
  const application = ctx.emu.profiles.get(ctx, identifier);
  if (application) return { kind: 'application', profile: application };
  const system = systemProfileFor(ctx, identifier);
  return system && { kind: 'system', profile: system };
}

const profileNotFound = (identifier: string) => notFound(`Inference profile ${identifier} not found.`);

export function getInferenceProfile(input: OperationInput<'GetInferenceProfile'>, ctx: OpContext): OperationOutput<'GetInferenceProfile'> {
  const found = findProfile(ctx, input.inferenceProfileIdentifier);
  if (!found) throw profileNotFound(input.inferenceProfileIdentifier);
  return found.kind === 'system' ? systemSummary(found.profile, ctx) : applicationSummary(found.profile);
}

// Pages: system profiles (registry order) then application profiles (oldest first). A cursor names the last
// item returned, so deleting or creating profiles between pages neither repeats nor skips the others.
interface Cursor {
  after: string;
}

function decodeToken(token: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof cursor?.after === 'string') return cursor;
  } catch {
    // fall through
  }
  throw new AwsError('ValidationException', 'The provided pagination token is invalid.');
}

const encodeToken = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

export function listInferenceProfiles(input: OperationInput<'ListInferenceProfiles'>, ctx: OpContext): OperationOutput<'ListInferenceProfiles'> {
  const all = [
    ...systemProfilesInRegion(ctx.region, ctx.emu.catalog).map((p, i) => ({ key: `0:${String(i).padStart(6, '0')}`, summary: systemSummary(p, ctx) })),
    ...ctx.emu.profiles.list(ctx).map((p) => ({ key: `1:${String(p.createdAt.getTime()).padStart(15, '0')}:${p.id}`, summary: applicationSummary(p) })),
  ].filter((e) => input.typeEquals === undefined || e.summary.type === input.typeEquals);
  const after = input.nextToken === undefined ? undefined : decodeToken(input.nextToken).after;
  const rest = after === undefined ? all : all.filter((e) => e.key > after);
  // Without maxResults, one page holds as many as the largest page a caller may ask for.
  const page = rest.slice(0, input.maxResults ?? 1000);
  const more = rest.length > page.length;
  return {
    inferenceProfileSummaries: page.map((e) => e.summary),
    ...(more ? { nextToken: encodeToken({ after: page.at(-1)!.key }) } : {}),
  };
}

type CreateInput = OperationInput<'CreateInferenceProfile'>;

/**
 * The foundation-model ARNs a new application profile routes to, from its `copyFrom` source: a model offered in
 * the caller's region, or a system profile sourced from it. Availability and its messages are the registry's, as
 * for runtime and batch calls.
 */
function sourceModels(ctx: OpContext, copyFrom: string): string[] {
  const source = parseBedrockArn(copyFrom, 'foundation-model', 'inference-profile');
  // A foundation model's ARN has no account (the parser sees to that); a system profile's has none or the caller's.
  if (!source || source.region !== ctx.region || (source.account !== '' && source.account !== ctx.account)) {
    throw new AwsError('ValidationException', `The provided model identifier is invalid. The model source ${copyFrom} must be a model or inference profile in ${ctx.region}.`);
  }
  const fromModel = source.resourceType === 'foundation-model';
  const identifier = fromModel ? copyFrom : source.resourceId;
  const catalog = ctx.emu.catalog;
  const onDemand = resolveModel(identifier, ctx.region, 'on-demand', { catalog });
  // A model a region offers for batch only can still be tracked by an application profile there.
  const batch = !onDemand.ok && fromModel ? resolveModel(identifier, ctx.region, 'batch', { catalog }) : onDemand;
  const resolved = batch.ok ? batch : onDemand;
  if (!resolved.ok) throw new AwsError(resolved.errorType, resolved.message);
  const { model, regions } = resolved;
  return regions.map((r) => foundationModelArn(model.id, r));
}

const sameRequest = (p: ApplicationProfile, input: CreateInput) =>
  p.name === input.inferenceProfileName && p.description === input.description && p.copyFrom === input.modelSource.copyFrom;

export function createInferenceProfile(input: CreateInput, ctx: OpContext): OperationOutput<'CreateInferenceProfile'> {
  const store = ctx.emu.profiles;
  if (input.clientRequestToken !== undefined) {
    const earlier = store.byClientRequestToken(ctx, input.clientRequestToken);
    if (earlier) {
      if (!sameRequest(earlier, input)) {
        throw new AwsError('ConflictException', `The client request token ${input.clientRequestToken} was already used for a different request.`);
      }
      return { inferenceProfileArn: earlier.arn, status: 'ACTIVE' };
    }
  }
  const copyFrom = input.modelSource.copyFrom;
  if (store.byName(ctx, input.inferenceProfileName)) {
    throw new AwsError('ConflictException', `An inference profile with the name ${input.inferenceProfileName} already exists.`);
  }
  if (store.count(ctx) >= MAX_APPLICATION_PROFILES) {
    throw new AwsError('ServiceQuotaExceededException', `You have reached the maximum of ${MAX_APPLICATION_PROFILES} application inference profiles in ${ctx.region}.`);
  }
  const models = sourceModels(ctx, copyFrom);
  const tags = input.tags ?? [];
  const id = newProfileId();
  const arn = applicationProfileArn(ctx, id);
  checkNewTags(arn, [], tags);
  const now = ctx.emu.clock.date();
  store.insert(ctx, {
    id,
    arn,
    name: input.inferenceProfileName,
    ...(input.description !== undefined ? { description: input.description } : {}),
    copyFrom,
    models,
    createdAt: now,
    updatedAt: now,
    ...(input.clientRequestToken !== undefined ? { clientRequestToken: input.clientRequestToken } : {}),
  });
  if (tags.length) ctx.emu.tags.set(ctx, arn, tags);
  return { inferenceProfileArn: arn, status: 'ACTIVE' };
}

export function deleteInferenceProfile(input: OperationInput<'DeleteInferenceProfile'>, ctx: OpContext): OperationOutput<'DeleteInferenceProfile'> {
  const found = findProfile(ctx, input.inferenceProfileIdentifier);
  if (!found) throw profileNotFound(input.inferenceProfileIdentifier);
  if (found.kind === 'system') {
    throw new AwsError('ValidationException', `The inference profile ${input.inferenceProfileIdentifier} is system defined and cannot be deleted; only application inference profiles can be deleted.`);
  }
  ctx.emu.profiles.delete(ctx, found.profile.id);
  ctx.emu.tags.clear(ctx, found.profile.arn);
  return {};
}
