// Pure lookups over a catalogue (the built-in one unless a caller passes its own), and resolveModel: what a modelId in
// a request means in a region.
import { parseBedrockArn } from './arn.js';
import { BUILT_IN, type Catalog, type ModelInfo, type SystemProfile } from './catalog.js';
import type { InferenceUse } from './types.js';

export const listModels = (catalog: Catalog = BUILT_IN): readonly ModelInfo[] => catalog.models;
export const getModel = (modelId: string, catalog: Catalog = BUILT_IN): ModelInfo | undefined => catalog.byId.get(modelId);
export const isKnownRegion = (region: string, catalog: Catalog = BUILT_IN): boolean => region in catalog.regions;
export const modelsInRegion = (region: string, catalog: Catalog = BUILT_IN): ModelInfo[] =>
  catalog.models.filter((m) => m.onDemandRegions.includes(region) || m.batchRegions.includes(region));
export const getSystemProfile = (id: string, catalog: Catalog = BUILT_IN): SystemProfile | undefined => catalog.profileById.get(id);
export const systemProfilesInRegion = (region: string, catalog: Catalog = BUILT_IN): SystemProfile[] =>
  catalog.profiles.filter((p) => p.sourceRegions.includes(region));
export const profilesForModel = (modelId: string, region: string, catalog: Catalog = BUILT_IN): SystemProfile[] =>
  systemProfilesInRegion(region, catalog).filter((p) => p.modelId === modelId);

export function profileDestinations(profile: SystemProfile, sourceRegion: string): string[] {
  const d = profile.destinations;
  return [...(Array.isArray(d) ? d : (d as Record<string, readonly string[]>)[sourceRegion])];
}


/** Whether a model answers for a use in a region, directly (not via a profile). */
export function offeredDirectly(model: ModelInfo, region: string, use: InferenceUse): boolean {
  return use === 'batch' ? model.batchRegions.includes(region) : model.onDemandRegions.includes(region) && !model.requiresProfile;
}

/** Whether CreateModelInvocationJob accepts a system profile of the model from a source region. */
function batchThroughProfile(model: ModelInfo, destinations: string[], region: string): boolean {
  const via = model.batchViaProfile;
  if (via === true) return true;
  if (Array.isArray(via) && via.includes(region)) return true;
  return destinations.some((r) => model.batchRegions.includes(r));
}

export type ResolveResult =
  | { ok: true; model: ModelInfo; via: 'model' | 'system-profile' | 'application-profile'; profileId?: string; regions: string[] }
  | {
      ok: false;
      errorType: 'ValidationException' | 'ResourceNotFoundException' | 'AccessDeniedException';
      message: string;
      /** The id names no model or profile of the catalogue (as opposed to one not offered here). */
      unknown?: true;
    };

export interface ResolveOptions {
  /** Resolves an application inference profile ARN to the ARN it was copied from. */
  applicationProfile?: (arn: string) => { modelSource: string } | undefined;
  catalog?: Catalog;
}

export const INVALID_MODEL_ID = 'The provided model identifier is invalid.';

const fail = (message: string, errorType: 'ValidationException' | 'ResourceNotFoundException' = 'ValidationException'): ResolveResult => ({
  ok: false,
  errorType,
  message,
});
const unknownId = (): ResolveResult => ({ ok: false, errorType: 'ValidationException', message: INVALID_MODEL_ID, unknown: true });

/** Accepts a model id, foundation-model ARN, system profile id or ARN, or application profile ARN. */
export function resolveModel(identifier: string, region: string, use: InferenceUse, opts: ResolveOptions = {}): ResolveResult {
  const catalog = opts.catalog ?? BUILT_IN;
  const app = parseBedrockArn(identifier, 'application-inference-profile');
  if (app) {
    if (app.region !== region) return fail(INVALID_MODEL_ID);
    const found = opts.applicationProfile?.(identifier);
    if (!found) return fail(`The inference profile ${identifier} was not found.`, 'ResourceNotFoundException');
    const inner = resolveModel(found.modelSource, region, use, opts);
    return inner.ok ? { ...inner, via: 'application-profile', profileId: app.resourceId } : inner;
  }
  // Runtime and batch calls take a system profile's ARN only with an account in it.
  const anyProfileArn = parseBedrockArn(identifier, 'inference-profile');
  const profileArn = anyProfileArn?.account ? anyProfileArn : undefined;
  if (profileArn && profileArn.region !== region) return fail(INVALID_MODEL_ID);
  const profile = getSystemProfile(profileArn ? profileArn.resourceId : identifier, catalog);
  if (profile) return resolveProfile(profile, region, use, catalog);
  if (profileArn) return unknownId();

  const fm = parseBedrockArn(identifier, 'foundation-model');
  if (fm && fm.region !== region) return fail(INVALID_MODEL_ID);
  const modelId = fm ? fm.resourceId : identifier;
  const model = getModel(modelId, catalog);
  if (!model) return unknownId();
  if (offeredDirectly(model, region, use)) return { ok: true, model, via: 'model', regions: [region] };
  return fail(notOfferedMessage(model, region, use, catalog));
}

function resolveProfile(profile: SystemProfile, region: string, use: InferenceUse, catalog: Catalog): ResolveResult {
  const model = getModel(profile.modelId, catalog)!;
  if (!profile.sourceRegions.includes(region)) {
    return fail(`${INVALID_MODEL_ID} The inference profile ${profile.id} can be used from ${profile.sourceRegions.join(', ')}, not from ${region}.`);
  }
  const regions = profileDestinations(profile, region);
  // A system profile exists only where AWS serves its model on demand through it; batch support is per model.
  if (use === 'batch' && !batchThroughProfile(model, regions, region)) {
    return fail(`${model.id} does not support batch inference through ${profile.id}.`);
  }
  return { ok: true, model, via: 'system-profile', profileId: profile.id, regions };
}

function notOfferedMessage(model: ModelInfo, region: string, use: InferenceUse, catalog: Catalog): string {
  const profiles = profilesForModel(model.id, region, catalog).map((p) => p.id);
  const tryProfiles = profiles.length ? ` Inference profiles for it that work from ${region}: ${profiles.join(', ')}.` : '';
  if (use === 'on-demand' && model.requiresProfile && model.onDemandRegions.includes(region)) {
    return `Invocation of model ID ${model.id} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.${tryProfiles}`;
  }
  const where = use === 'batch' ? model.batchRegions : model.onDemandRegions;
  const what = use === 'batch' ? 'batch inference' : 'on-demand inference';
  const offered = where.length ? `it is offered in ${where.join(', ')}.` : `no region offers it for ${what}${model.requiresProfile || model.batchViaProfile ? ' by its bare id' : ''}.`;
  return `${use === 'batch' ? `The model ${model.id} is not supported for batch inference in ${region}` : INVALID_MODEL_ID.slice(0, -1) + ` in ${region}`}: ${model.id} is not offered for ${what} in ${region}; ${offered}${tryProfiles}`;
}
