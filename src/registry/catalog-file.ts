// A user's own catalogue: the JSON `aws bedrock list-foundation-models` (modelSummaries) and `aws bedrock
// list-inference-profiles` (inferenceProfileSummaries) print, one or both per file, one file per region or several.
// Regions come from the ARNs. Models and system profiles join the built-in data and are then served like it; a model
// the built-in data lacks gets its body family from families.json (DATA-NOTES.md, "A user's catalogue").
import { readFileSync, statSync } from 'node:fs';
import { parseBedrockArn } from './arn.js';
import { BUILT_IN_DATA, buildCatalog, withGeographyProfiles, type Catalog, type CatalogData, type InferenceType, type ModelRow } from './catalog.js';

interface FamilyRow {
  provider: string;
  pattern: string;
  family: string;
}

const FAMILY_RULES = (JSON.parse(readFileSync(new URL('./data/families.json', import.meta.url), 'utf8')).rows as FamilyRow[]).map((r) => ({
  ...r,
  regex: new RegExp(r.pattern),
}));

/** The body family for a model id: the first rule of families.json that matches, else the provider's name (which no
 * fake model answers, so the model is listed but refused with a message naming it). */
export function familyFor(modelId: string): string {
  const provider = modelId.split('.')[0];
  return FAMILY_RULES.find((r) => r.provider === provider && r.regex.test(modelId))?.family ?? provider;
}

export interface CatalogLoad {
  catalog: Catalog;
  /** Models and system profiles the files added or extended, and application profiles they held (not loaded). */
  models: number;
  profiles: number;
  skippedApplicationProfiles: number;
}


interface ModelSummary {
  modelArn: string;
  modelId?: string;
  modelName?: string;
  providerName?: string;
  inputModalities?: string[];
  outputModalities?: string[];
  responseStreamingSupported?: boolean;
  customizationsSupported?: string[];
  inferenceTypesSupported?: string[];
  modelLifecycle?: { status?: string };
}

interface ProfileSummary {
  inferenceProfileArn: string;
  inferenceProfileId?: string;
  inferenceProfileName?: string;
  models?: { modelArn?: string }[];
  type?: string;
}

const unique = <T>(xs: Iterable<T>) => [...new Set(xs)];

/** Loads the files over the built-in data. Throws an Error naming the file and entry on anything malformed. */
export function loadCatalog(files: string | readonly string[] | undefined, base: CatalogData = BUILT_IN_DATA): CatalogLoad {
  const paths = (typeof files === 'string' ? files.split(',') : (files ?? [])).map((f) => f.trim()).filter(Boolean);
  const data = withGeographyProfiles(base);
  const models = new Map(data.models.map((m) => [m.id, { ...m }]));
  const profiles = new Map(data.profiles.map((p) => [p.id, { ...p }]));
  const regions = new Map(data.regions.map((r) => [r.id, r]));
  const touchedModels = new Set<string>();
  const touchedProfiles = new Set<string>();
  let skippedApplicationProfiles = 0;
  const listed = new Map<string, Set<string>>();
  const listedAt = (id: string) => listed.get(id) ?? listed.set(id, new Set()).get(id)!;

  for (const path of paths) {
    const { summaries, profileSummaries } = readCatalogFile(path);
    const provenance = { source: `catalog:${path}`, read: statSync(path).mtime.toISOString().slice(0, 10) };
    const addRegion = (id: string) => {
      if (!regions.has(id)) regions.set(id, { id, name: id, partition: id.startsWith('us-gov-') ? 'aws-us-gov' : 'aws', ...provenance });
    };

    // Base models first, then Provisioned Throughput variants (`<base>:<n>:<size>`, PROVISIONED only) beside them.
    const provisionedOnly = (s: ModelSummary) => s.inferenceTypesSupported?.length === 1 && s.inferenceTypesSupported[0] === 'PROVISIONED';
    const idOf = (s: ModelSummary) => parseBedrockArn(s.modelArn, 'foundation-model')!.resourceId;
    const baseOf = (id: string) => [...models.keys()].filter((b) => id.startsWith(`${b}:`)).sort((a, b) => b.length - a.length)[0];
    for (const s of [...summaries.filter((s) => !provisionedOnly(s)), ...summaries.filter(provisionedOnly)]) {
      const region = parseBedrockArn(s.modelArn, 'foundation-model')!.region;
      addRegion(region);
      const id = idOf(s);
      const base = provisionedOnly(s) ? baseOf(id) : undefined;
      if (base) {
        const row = models.get(base)!;
        row.provisionedThroughputIds = unique([...(row.provisionedThroughputIds ?? []), id]);
        touchedModels.add(base);
        continue;
      }
      const known = models.get(id);
      const types = (s.inferenceTypesSupported ?? []).filter((t): t is InferenceType => ['ON_DEMAND', 'INFERENCE_PROFILE', 'PROVISIONED'].includes(t));
      const row: ModelRow = known ?? {
        id,
        name: s.modelName ?? id,
        provider: s.providerName ?? id.split('.')[0],
        family: familyFor(id),
        inputModalities: s.inputModalities ?? ['TEXT'],
        outputModalities: s.outputModalities ?? ['TEXT'],
        streaming: s.responseStreamingSupported ?? false,
        inferenceTypesSupported: types,
        onDemandRegions: [],
        batchRegions: [],
        // The CLI's output says nothing of batch: a catalogue model runs in batch wherever it runs on demand.
        batchViaProfile: true,
        customizations: s.customizationsSupported ?? [],
        lifecycle: s.modelLifecycle?.status === 'LEGACY' ? 'LEGACY' : 'ACTIVE',
        ...provenance,
      };
      if (!known) models.set(id, row);
      if (row.inferenceTypesSupported.includes('ON_DEMAND')) {
        row.onDemandRegions = unique([...(row.onDemandRegions ?? []), region]);
        if (!known) row.batchRegions = unique([...(row.batchRegions ?? []), region]);
      } else listedAt(id).add(region);
      touchedModels.add(id);
    }

    const captured = new Map<string, Map<string, string[]>>(); // profile id → source region → destinations
    for (const p of profileSummaries) {
      if (p.type === 'APPLICATION') {
        skippedApplicationProfiles++;
        continue;
      }
      const { region, resourceId } = parseBedrockArn(p.inferenceProfileArn, 'inference-profile')!;
      const id = p.inferenceProfileId ?? resourceId;
      const targets = (p.models ?? []).map((m) => parseBedrockArn(m.modelArn ?? '', 'foundation-model'));
      if (!targets.length || targets.some((t) => !t)) throw new Error(`--catalog ${path}: inference profile ${id} needs models[].modelArn foundation-model ARNs`);
      const modelId = targets[0]!.resourceId;
      addRegion(region);
      for (const t of targets) addRegion(t!.region);
      if (!models.has(modelId)) {
        models.set(modelId, {
          id: modelId,
          name: modelId,
          provider: modelId.split('.')[0],
          family: familyFor(modelId),
          inputModalities: ['TEXT'],
          outputModalities: ['TEXT'],
          inferenceTypesSupported: ['INFERENCE_PROFILE'],
          batchViaProfile: true,
          ...provenance,
        });
        touchedModels.add(modelId);
      }
      if (!captured.has(id)) captured.set(id, new Map());
      captured.get(id)!.set(region, unique(targets.map((t) => t!.region)));
      const row = profiles.get(id);
      const name = p.inferenceProfileName ?? row?.name ?? id;
      profiles.set(id, { id, name, modelId, sourceRegions: [], destinations: {}, ...provenance, ...(row ? { source: [...[row.source].flat(), provenance.source] } : {}) });
      // Source regions the files did not capture keep the built-in routes.
      const kept = row ? row.sourceRegions.filter((r) => !captured.get(id)!.has(r)) : [];
      const routes = Object.fromEntries([
        ...kept.map((r) => [r, Array.isArray(row!.destinations) ? row!.destinations : (row!.destinations as Record<string, string[]>)[r]]),
        ...captured.get(id)!,
      ]);
      Object.assign(profiles.get(id)!, { sourceRegions: Object.keys(routes), destinations: routes });
      touchedProfiles.add(id);
    }
  }

  // A profile-only model is listed where a file listed it and wherever one of its profiles can be called from.
  for (const id of touchedModels) {
    const row = models.get(id)!;
    if (row.inferenceTypesSupported.includes('ON_DEMAND')) continue;
    const sources = [...profiles.values()].filter((p) => p.modelId === id).flatMap((p) => p.sourceRegions);
    row.onDemandRegions = unique([...(row.onDemandRegions ?? []), ...sources, ...listedAt(id)]);
  }
  const catalog = buildCatalog({ ...data, models: [...models.values()], profiles: [...profiles.values()], regions: [...regions.values()] });
  return { catalog, models: touchedModels.size, profiles: touchedProfiles.size, skippedApplicationProfiles };
}

function readCatalogFile(path: string): { summaries: ModelSummary[]; profileSummaries: ProfileSummary[] } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`--catalog ${path}: ${e instanceof Error ? e.message : e}`);
  }
  const doc = json as { modelSummaries?: unknown; inferenceProfileSummaries?: unknown };
  const expected = 'the JSON that `aws bedrock list-foundation-models` (modelSummaries) or `aws bedrock list-inference-profiles` (inferenceProfileSummaries) prints';
  if (!doc || typeof doc !== 'object' || (doc.modelSummaries === undefined && doc.inferenceProfileSummaries === undefined)) {
    throw new Error(`--catalog ${path}: expected ${expected}`);
  }
  if (doc.modelSummaries !== undefined && !Array.isArray(doc.modelSummaries)) throw new Error(`--catalog ${path}: modelSummaries must be an array`);
  if (doc.inferenceProfileSummaries !== undefined && !Array.isArray(doc.inferenceProfileSummaries)) throw new Error(`--catalog ${path}: inferenceProfileSummaries must be an array`);
  const summaries = (doc.modelSummaries ?? []) as ModelSummary[];
  summaries.forEach((s, i) => {
    if (typeof s?.modelArn !== 'string' || !parseBedrockArn(s.modelArn, 'foundation-model')) throw new Error(`--catalog ${path}: modelSummaries[${i}].modelArn must be a foundation-model ARN (arn:aws:bedrock:<region>::foundation-model/<id>)`);
  });
  const profileSummaries = (doc.inferenceProfileSummaries ?? []) as ProfileSummary[];
  profileSummaries.forEach((p, i) => {
    if (typeof p?.inferenceProfileArn !== 'string' || !parseBedrockArn(p.inferenceProfileArn, 'inference-profile')) {
      if (p?.type === 'APPLICATION') return;
      throw new Error(`--catalog ${path}: inferenceProfileSummaries[${i}].inferenceProfileArn must be an inference-profile ARN`);
    }
  });
  return { summaries, profileSummaries };
}
