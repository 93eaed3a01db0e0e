// Pure lookups over the registry's tables, and resolveModel: what a modelId in a request means in a region.
import { MODELS, type ModelInfo } from './models.js';
import { SYSTEM_PROFILES, type SystemProfile } from './profiles.js';
import { REGIONS } from './regions.js';
import type { InferenceUse } from './types.js';

const BY_ID = new Map(MODELS.map((m) => [m.id, m]));
const PROFILES = new Map(SYSTEM_PROFILES.map((p) => [p.id, p]));

export const listModels = (): readonly ModelInfo[] => MODELS;
export const getModel = (modelId: string): ModelInfo | undefined => BY_ID.get(modelId);
export const isKnownRegion = (region: string): boolean => region in REGIONS;
export const modelsInRegion = (region: string): ModelInfo[] =>
  MODELS.filter((m) => m.onDemandRegions.includes(region) || m.batchRegions.includes(region));
export const getSystemProfile = (id: string): SystemProfile | undefined => PROFILES.get(id);
export const systemProfilesInRegion = (region: string): SystemProfile[] => SYSTEM_PROFILES.filter((p) => p.sourceRegions.includes(region));
export const profilesForModel = (modelId: string, region: string): SystemProfile[] =>
  systemProfilesInRegion(region).filter((p) => p.modelId === modelId);

export function profileDestinations(profile: SystemProfile, sourceRegion: string): string[] {
  const d = profile.destinations;
  return [...(Array.isArray(d) ? d : ((d as Record<string, readonly string[]>)[sourceRegion] ?? []))];
}

export const foundationModelArn = (modelId: string, region: string) => `arn:aws:bedrock:${region}::foundation-model/${modelId}`;
export const systemProfileArn = (id: string, region: string, account: string) => `arn:aws:bedrock:${region}:${account}:inference-profile/${id}`;

/** Whether a model answers for a use in a region, directly (not via a profile). */
export function offeredDirectly(model: ModelInfo, region: string, use: InferenceUse): boolean {
  return use === 'batch' ? model.batchRegions.includes(region) : model.onDemandRegions.includes(region) && !model.requiresProfile;
}

export type ResolveResult =
  | { ok: true; model: ModelInfo; via: 'model' | 'system-profile' | 'application-profile'; profileId?: string; regions: string[] }
  | { ok: false; errorType: 'ValidationException' | 'ResourceNotFoundException' | 'AccessDeniedException'; message: string };

export interface ResolveOptions {
  /** Resolves an application inference profile ARN to the ARN it was copied from. */
  applicationProfile?: (arn: string) => { modelSource: string } | undefined;
}

const INVALID = 'The provided model identifier is invalid.';
const FM_ARN = /^arn:aws(?:-[a-z-]+)?:bedrock:([a-z0-9-]+)::foundation-model\/(.+)$/;
const PROFILE_ARN = /^arn:aws(?:-[a-z-]+)?:bedrock:([a-z0-9-]+):(\d{12}):inference-profile\/(.+)$/;
const APP_PROFILE_ARN = /^arn:aws(?:-[a-z-]+)?:bedrock:([a-z0-9-]+):(\d{12}):application-inference-profile\/([a-z0-9]+)$/;

const fail = (message: string, errorType: 'ValidationException' | 'ResourceNotFoundException' = 'ValidationException'): ResolveResult => ({
  ok: false,
  errorType,
  message,
});

/** Accepts a model id, foundation-model ARN, system profile id or ARN, or application profile ARN. */
export function resolveModel(identifier: string, region: string, use: InferenceUse, opts: ResolveOptions = {}): ResolveResult {
  const app = APP_PROFILE_ARN.exec(identifier);
  if (app) {
    if (app[1] !== region) return fail(INVALID);
    const found = opts.applicationProfile?.(identifier);
    if (!found) return fail(`The inference profile ${identifier} was not found.`, 'ResourceNotFoundException');
    const inner = resolveModel(found.modelSource, region, use, opts);
    return inner.ok ? { ...inner, via: 'application-profile', profileId: app[3] } : inner;
  }
  const profileArn = PROFILE_ARN.exec(identifier);
  if (profileArn && profileArn[1] !== region) return fail(INVALID);
  const profile = getSystemProfile(profileArn ? profileArn[3] : identifier);
  if (profile) return resolveProfile(profile, region, use);
  if (profileArn) return fail(INVALID);

  const fm = FM_ARN.exec(identifier);
  if (fm && fm[1] !== region) return fail(INVALID);
  const modelId = fm ? fm[2] : identifier;
  const model = getModel(modelId);
  if (!model) return fail(INVALID);
  if (offeredDirectly(model, region, use)) return { ok: true, model, via: 'model', regions: [region] };
  return fail(notOfferedMessage(model, region, use));
}

function resolveProfile(profile: SystemProfile, region: string, use: InferenceUse): ResolveResult {
  const model = getModel(profile.modelId)!;
  if (!profile.sourceRegions.includes(region)) {
    return fail(`${INVALID} The inference profile ${profile.id} can be used from ${profile.sourceRegions.join(', ')}, not from ${region}.`);
  }
  const regions = profileDestinations(profile, region);
  const usable = regions.some((r) => (use === 'batch' ? model.batchRegions : model.onDemandRegions).includes(r));
  if (!usable) return fail(`${model.id} does not support ${use === 'batch' ? 'batch inference' : 'on-demand inference'} through ${profile.id}.`);
  return { ok: true, model, via: 'system-profile', profileId: profile.id, regions };
}

function notOfferedMessage(model: ModelInfo, region: string, use: InferenceUse): string {
  const profiles = profilesForModel(model.id, region).map((p) => p.id);
  const tryProfiles = profiles.length ? ` Inference profiles for it that work from ${region}: ${profiles.join(', ')}.` : '';
  if (use === 'on-demand' && model.requiresProfile && model.onDemandRegions.includes(region)) {
    return `Invocation of model ID ${model.id} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.${tryProfiles}`;
  }
  const where = use === 'batch' ? model.batchRegions : model.onDemandRegions;
  const what = use === 'batch' ? 'batch inference' : 'on-demand inference';
  const offered = where.length ? `it is offered in ${where.join(', ')}.` : `no region offers it for ${what}.`;
  return `${use === 'batch' ? `The model ${model.id} is not supported for batch inference in ${region}` : INVALID.slice(0, -1) + ` in ${region}`}: ${model.id} is not offered for ${what} in ${region}; ${offered}${tryProfiles}`;
}
