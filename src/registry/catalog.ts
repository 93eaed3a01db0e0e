// The catalogue as data: models, regions and system inference profiles read from data/*.json (each row with its
// source and the date read; DATA-NOTES.md resolves conflicts), turned into the shapes the lookups work on. A user's
// own catalogue (the AWS CLI's list-foundation-models / list-inference-profiles output) merges in through
// catalog-file.ts. Nothing here is mutable after construction: each emulator holds its own Catalog.
import { readFileSync } from 'node:fs';
import type { ModelFeatures } from './features.js';
import type { BodyFamily } from './types.js';

export type InferenceType = 'ON_DEMAND' | 'PROVISIONED' | 'INFERENCE_PROFILE';

/** Per-model batch quotas AWS publishes (Service Quotas names "… for <model>"); the config's quotas apply otherwise. */
export interface BatchQuotas {
  minRecordsPerJob: number;
  maxRecordsPerJob: number;
  maxRecordsPerFile: number;
}

export interface ModelInfo {
  id: string;
  name: string;
  provider: string;
  /** The fake model that answers it (FAMILIES in src/fake-models). A name no family module has is listed but refused. */
  family: BodyFamily;
  inputModalities: readonly string[];
  outputModalities: readonly string[];
  streaming: boolean;
  /** Regions that list the model and serve it on demand: directly, or through a profile if requiresProfile. */
  onDemandRegions: readonly string[];
  /** Regions where CreateModelInvocationJob accepts the bare model id. */
  batchRegions: readonly string[];
  /** Batch through a cross-region profile: from every source region (true), from those listed, or (false) only where a
   * profile's destinations include a batch region (the seed rule). */
  batchViaProfile: boolean | readonly string[];
  /** Bedrock serves it on demand only through an inference profile (inferenceTypesSupported lacks ON_DEMAND). */
  requiresProfile: boolean;
  provisionedThroughputIds: readonly string[];
  customizations: readonly string[];
  inferenceTypes: readonly InferenceType[];
  lifecycle: 'ACTIVE' | 'LEGACY';
  batchQuotas?: Partial<BatchQuotas>;
  /** Converse features and output ceiling, when the row carries its own (else data/model-features.json's). */
  features?: ModelFeatures;
  /** Where the row's facts come from (URL, or seed:NNN for the project's seed documents) and when they were read. */
  source: string | readonly string[];
  read: string;
}

export interface SystemProfile {
  id: string;
  name: string;
  modelId: string;
  sourceRegions: readonly string[];
  /** Destination regions; some profiles route differently per source region. */
  destinations: readonly string[] | Readonly<Record<string, readonly string[]>>;
}

export interface Catalog {
  models: readonly ModelInfo[];
  byId: ReadonlyMap<string, ModelInfo>;
  profiles: readonly SystemProfile[];
  profileById: ReadonlyMap<string, SystemProfile>;
  /** Region id → name. */
  regions: Readonly<Record<string, string>>;
}

// ---- rows as the data files hold them

interface Sourced {
  source: string | string[];
  read: string;
}

export interface ModelRow extends Sourced {
  id: string;
  name: string;
  provider: string;
  family: string;
  inputModalities: string[];
  outputModalities: string[];
  streaming?: boolean;
  inferenceTypesSupported: InferenceType[];
  /** Omitted for profile-only models: the source regions of their profiles. */
  onDemandRegions?: string[];
  batchRegions?: string[];
  batchViaProfile?: boolean | string[];
  /** Geography prefixes (geographies.json) of the system profiles that carry this model. */
  profiles?: string[];
  provisionedThroughputIds?: string[];
  customizations?: string[];
  lifecycle?: 'ACTIVE' | 'LEGACY';
  batchQuotas?: Partial<BatchQuotas>;
  note?: string;
  [optional: string]: unknown;
}

export interface ProfileRow extends Sourced {
  id: string;
  name: string;
  modelId: string;
  sourceRegions: string[];
  destinations: string[] | Record<string, string[]>;
}

export interface GeographyRow extends Sourced {
  prefix: string;
  label: string;
  /** Source and destination regions, or every commercial region. */
  regions: string[] | 'commercial';
}

export interface RegionRow extends Sourced {
  id: string;
  name: string;
  partition: 'aws' | 'aws-us-gov';
}

export interface CatalogData {
  models: ModelRow[];
  profiles: ProfileRow[];
  geographies: GeographyRow[];
  regions: RegionRow[];
}

const dataFile = <T>(name: string): T[] => JSON.parse(readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8')).rows;

/** The data files shipped with the emulator. */
export const BUILT_IN_DATA: CatalogData = {
  models: dataFile('models.json'),
  profiles: dataFile('profiles.json'),
  geographies: dataFile('geographies.json'),
  regions: dataFile('regions.json'),
};

const unique = (xs: Iterable<string>) => [...new Set(xs)];

/**
 * The data with each model row's geography profiles (`profiles: ["us", "global"]`) written out as profile rows of
 * their own: `<prefix>.<modelId>`, usable from and routing to the geography's regions.
 */
export function withGeographyProfiles(data: CatalogData): CatalogData {
  const commercial = data.regions.filter((r) => r.partition === 'aws').map((r) => r.id);
  const geographies = new Map(data.geographies.map((g) => [g.prefix, g]));
  const profiles = [...data.profiles];
  for (const row of data.models) {
    for (const prefix of row.profiles ?? []) {
      const geo = geographies.get(prefix);
      if (!geo) throw new Error(`catalogue: model ${row.id} names profile prefix '${prefix}', which geographies.json lacks`);
      const where = geo.regions === 'commercial' ? commercial : geo.regions;
      const provider = row.provider === 'Amazon' ? '' : `${row.provider} `;
      profiles.push({ id: `${prefix}.${row.id}`, name: `${geo.label} ${provider}${row.name}`, modelId: row.id, sourceRegions: where, destinations: where, source: row.source, read: row.read });
    }
  }
  return { ...data, models: data.models.map(({ profiles: _p, ...row }) => row), profiles };
}

/** Builds the lookup structures from data rows; throws on rows that contradict each other. */
export function buildCatalog(data: CatalogData): Catalog {
  const regions = Object.fromEntries(data.regions.map((r) => [r.id, r.name]));

  const profiles: SystemProfile[] = withGeographyProfiles(data).profiles.map(({ id, name, modelId, sourceRegions, destinations }) => ({
    id,
    name,
    modelId,
    sourceRegions,
    destinations,
  }));
  const profileById = new Map<string, SystemProfile>();
  for (const p of profiles) {
    if (profileById.has(p.id)) throw new Error(`catalogue: profile ${p.id} is defined twice`);
    profileById.set(p.id, p);
  }

  const models = data.models.map((row) => modelFrom(row, profiles));
  const byId = new Map<string, ModelInfo>();
  for (const m of models) {
    if (byId.has(m.id)) throw new Error(`catalogue: model ${m.id} is defined twice`);
    byId.set(m.id, m);
  }
  for (const p of profiles) {
    if (!byId.has(p.modelId)) throw new Error(`catalogue: profile ${p.id} names unknown model ${p.modelId}`);
    // Destinations per source region must name each source region's (a request from it would route nowhere).
    const missing = Array.isArray(p.destinations) ? undefined : p.sourceRegions.find((r) => !(r in p.destinations));
    if (missing) throw new Error(`catalogue: profile ${p.id} has no destinations for its source region ${missing}`);
  }
  return { models, byId, profiles, profileById, regions };
}

function modelFrom(row: ModelRow, profiles: readonly SystemProfile[]): ModelInfo {
  // Unknown optional fields (added by later data) flow through to ModelInfo untouched.
  const { profiles: _geos, inferenceTypesSupported, note: _note, ...rest } = row;
  const provisionedThroughputIds = row.provisionedThroughputIds ?? [];
  const requiresProfile = !inferenceTypesSupported.includes('ON_DEMAND');
  const viaProfiles = profiles.filter((p) => p.modelId === row.id).flatMap((p) => p.sourceRegions);
  return {
    ...rest,
    family: row.family as BodyFamily,
    streaming: row.streaming ?? true,
    onDemandRegions: row.onDemandRegions ?? (requiresProfile ? unique(viaProfiles) : []),
    batchRegions: row.batchRegions ?? [],
    batchViaProfile: row.batchViaProfile ?? false,
    requiresProfile,
    provisionedThroughputIds,
    customizations: row.customizations ?? [],
    inferenceTypes: unique([...inferenceTypesSupported, ...(provisionedThroughputIds.length ? ['PROVISIONED'] : [])]) as InferenceType[],
    lifecycle: row.lifecycle ?? 'ACTIVE',
  };
}

/** The emulator's own catalogue, before any user catalogue. */
export const BUILT_IN: Catalog = buildCatalog(BUILT_IN_DATA);
