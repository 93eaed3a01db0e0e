// ListFoundationModels / GetFoundationModel over a real port with the real SDK, signed for several regions. The
// expected region placement is read from the seed documents here, independently of the registry's code: each
// model below names the rows that mention it in seeds 000 and 001 (verbatim in seed-excerpts.ts), and the test
// parses those rows.
import { GetFoundationModelCommand, ListFoundationModelsCommand, type FoundationModelSummary } from '@aws-sdk/client-bedrock';
import { describe, expect, it } from 'vitest';
import { controlPlane } from '../support/control-plane.js';
import { MODELS } from '../../src/emulator/protocol/service-model.js';

import { SEED_000_TABLES, SEED_001_AVAILABILITY, SEED_001_BATCH_TABLE, SEED_002_PROVISIONED } from './seed-excerpts.js';

const REGION = /\b[a-z]{2}(?:-gov)?-[a-z]+-\d\b/g;
const regionsIn = (text: string) => text.match(REGION) ?? [];

/** 001's per-model blocks: `**Name**` then `- **Online processing**: …` and `- **Batch inference**: …`. */
function seed001Lines(name: string): { online: string[]; batch: string[] } {
  const at = SEED_001_AVAILABILITY.indexOf(`**${name}**\n`);
  if (at < 0) throw new Error(`seed 001 has no block for ${name}`);
  const block = SEED_001_AVAILABILITY.slice(at).split('\n').slice(1, 3).join('\n');
  const line = (label: string) => regionsIn(new RegExp(`\\*\\*${label}\\*\\*: (.*)`).exec(block)?.[1] ?? '');
  return { online: line('Online processing'), batch: line('Batch inference') };
}

/** A row of a markdown table whose `column`-th cell is exactly `name`: the regions in its `regionsColumn`-th cell. */
function tableRow(text: string, name: string, column: number, regionsColumn: number): string[] {
  for (const row of text.split('\n')) {
    const cells = row.split('|').map((c) => c.trim());
    if (cells[column] === name) return regionsIn(cells[regionsColumn]);
  }
  throw new Error(`no table row for ${name}`);
}

/** Where the seeds place a model: 001's online and batch lines, 001's batch table, 000's foundation-model column. */
interface SeedModel {
  id: string;
  block001?: string;
  batchTable001?: string;
  table000?: string;
}

const SEED_MODELS: SeedModel[] = [
  { id: 'amazon.titan-text-express-v1', block001: 'Amazon Titan Text G1 - Express', batchTable001: 'Titan Text G1 - Express' },
  { id: 'amazon.titan-text-lite-v1', block001: 'Amazon Titan Text G1 - Lite', batchTable001: 'Titan Text G1 - Lite' },
  { id: 'amazon.titan-text-premier-v1:0', block001: 'Amazon Titan Text G1 - Premier', batchTable001: 'Titan Text G1 - Premier' },
  { id: 'amazon.titan-embed-image-v1', block001: 'Amazon Titan Multimodal Embeddings G1', batchTable001: 'Titan Multimodal Embeddings G1', table000: 'Titan Multimodal Embeddings G1' },
  { id: 'amazon.titan-embed-text-v2:0', block001: 'Amazon Titan Text Embeddings V2', batchTable001: 'Titan Text Embeddings V2', table000: 'Titan Text Embeddings V2' },
  { id: 'amazon.nova-lite-v1:0', block001: 'Amazon Nova Lite, Micro, and Pro', batchTable001: 'Nova Lite', table000: 'Nova Lite' },
  { id: 'amazon.nova-micro-v1:0', block001: 'Amazon Nova Lite, Micro, and Pro', batchTable001: 'Nova Micro', table000: 'Nova Micro' },
  { id: 'amazon.nova-pro-v1:0', block001: 'Amazon Nova Lite, Micro, and Pro', batchTable001: 'Nova Pro', table000: 'Nova Pro' },
  { id: 'anthropic.claude-3-opus-20240229-v1:0', block001: 'Claude 3 Opus', batchTable001: 'Claude 3 Opus', table000: 'Claude 3 Opus' },
  { id: 'anthropic.claude-3-sonnet-20240229-v1:0', block001: 'Claude 3 Sonnet', batchTable001: 'Claude 3 Sonnet', table000: 'Claude 3 Sonnet' },
  { id: 'anthropic.claude-3-haiku-20240307-v1:0', block001: 'Claude 3 Haiku', batchTable001: 'Claude 3 Haiku', table000: 'Claude 3 Haiku' },
  { id: 'anthropic.claude-3-5-sonnet-20240620-v1:0', block001: 'Claude 3.5 Sonnet', batchTable001: 'Claude 3.5 Sonnet', table000: 'Claude 3.5 Sonnet' },
  { id: 'anthropic.claude-3-5-sonnet-20241022-v2:0', block001: 'Claude 3.5 Sonnet v2', batchTable001: 'Claude 3.5 Sonnet v2', table000: 'Claude 3.5 Sonnet v2' },
  { id: 'anthropic.claude-3-5-haiku-20241022-v1:0', block001: 'Claude 3.5 Haiku', batchTable001: 'Claude 3.5 Haiku', table000: 'Claude 3.5 Haiku' },
  { id: 'anthropic.claude-3-7-sonnet-20250219-v1:0', block001: 'Claude 3.7 Sonnet', batchTable001: 'Claude 3.7 Sonnet' },
  { id: 'meta.llama3-1-405b-instruct-v1:0', block001: 'Llama 3.1 405B Instruct', batchTable001: 'Llama 3.1 405B Instruct', table000: 'Llama 3.1 405B Instruct' },
  { id: 'meta.llama3-2-1b-instruct-v1:0', batchTable001: 'Llama 3.2 1B Instruct', table000: 'Llama 3.2 1B Instruct' },
  { id: 'meta.llama3-2-3b-instruct-v1:0', batchTable001: 'Llama 3.2 3B Instruct', table000: 'Llama 3.2 3B Instruct' },
  { id: 'mistral.mixtral-8x7b-instruct-v0:1', batchTable001: 'Mixtral 8x7B Instruct' },
];

/** Regions the seeds name for a model in any of its rows (online, batch, foundation-model regions). */
function seedRegions(m: SeedModel): { online: Set<string>; any: Set<string> } {
  const lines = m.block001 ? seed001Lines(m.block001) : { online: [], batch: [] };
  const batchTable = m.batchTable001 ? tableRow(SEED_001_BATCH_TABLE, m.batchTable001, 2, 3) : [];
  const fm = m.table000 ? tableRow(SEED_000_TABLES, m.table000, 1, 2) : [];
  return { online: new Set(lines.online), any: new Set([...lines.online, ...lines.batch, ...batchTable, ...fm]) };
}

/**
 * Seed 002's Provisioned Throughput ids (lowercased: 002 writes `…:32K`, which the model's id pattern forbids),
 * each with the base model id it belongs to (its longest known prefix).
 */
function provisionedIds(baseIds: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [, id] of SEED_002_PROVISIONED.matchAll(/ (?:Yes|No) ([a-z0-9-]+\.[a-z0-9.:-]+)$/gim)) {
    const parts = id.split(':');
    for (let n = parts.length; n > 0; n--) {
      const base = parts.slice(0, n).join(':');
      if (base !== id && baseIds.includes(base)) {
        out.set(id.toLowerCase(), base);
        break;
      }
    }
  }
  return out;
}

const cp = controlPlane();
const client = cp.client;


const list = async (region: string, filters: ConstructorParameters<typeof ListFoundationModelsCommand>[0] = {}) =>
  (await client(region).send(new ListFoundationModelsCommand(filters))).modelSummaries ?? [];

/** Provisioned Throughput ids are listed as variants answering PROVISIONED only. */
const isProvisionedVariant = (s: FoundationModelSummary) => s.inferenceTypesSupported?.join() === 'PROVISIONED';
const baseIds = (summaries: FoundationModelSummary[]) => summaries.filter((s) => !isProvisionedVariant(s)).map((s) => s.modelId!);

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'ap-northeast-1', 'ap-south-1', 'eu-central-1', 'eu-west-1', 'eu-west-3', 'sa-east-1'];

describe('ListFoundationModels', () => {
  it('signed for eu-west-3 returns exactly the seed models the seeds place there', async () => {
    const expected = SEED_MODELS.filter((m) => seedRegions(m).any.has('eu-west-3')).map((m) => m.id);
    for (const m of SEED_MODELS) expect(seedRegions(m).any.size, `seed rows of ${m.id}`).toBeGreaterThan(0);
    const summaries = await list('eu-west-3');
    // Models newer than the seeds (test/registry/catalogue-2026.test.ts) are listed beside them.
    const seedIds = new Set(SEED_MODELS.map((m) => m.id));
    expect(baseIds(summaries).filter((id) => seedIds.has(id)).sort()).toEqual([...expected].sort());
    // Provisioned Throughput variants are listed only beside their base model.
    const pt = provisionedIds(SEED_MODELS.map((m) => m.id));
    for (const s of summaries.filter(isProvisionedVariant)) expect(expected).toContain(pt.get(s.modelId!.toLowerCase()));
    // A base model never answers PROVISIONED itself: that is what its variants are for.
    for (const s of summaries.filter((s) => !isProvisionedVariant(s))) expect(s.inferenceTypesSupported).not.toContain('PROVISIONED');
  });

  it.each(REGIONS)('in %s lists every model the seeds name online there and none they place elsewhere only', async (region) => {
    const listed = new Set(baseIds(await list(region)));
    for (const m of SEED_MODELS) {
      const { online, any } = seedRegions(m);
      if (online.has(region)) expect(listed, `${m.id} in ${region}`).toContain(m.id);
      if (!any.has(region)) expect(listed, `${m.id} not in ${region}`).not.toContain(m.id);
    }
  });

  it.each(REGIONS)('in %s answers summaries in the model shape with regional ARNs', async (region) => {
    const summaries = await list(region);
    expect(summaries.length).toBeGreaterThan(0);
    const arn = new RegExp(`^(?:${MODELS.bedrock.shapes.FoundationModelArn.pattern})$`);
    const id = new RegExp(`^(?:${MODELS.bedrock.shapes.BedrockModelId.pattern})$`);
    const modalities = MODELS.bedrock.shapes.ModelModality.enum!;
    for (const s of summaries) {
      expect(s.modelArn).toBe(`arn:aws:bedrock:${region}::foundation-model/${s.modelId}`);
      expect(s.modelArn).toMatch(arn);
      expect(s.modelId).toMatch(id);
      expect(s.modelName).toBeTruthy();
      expect(s.providerName).toBeTruthy();
      expect(s.inputModalities!.length).toBeGreaterThan(0);
      expect(s.outputModalities!.every((m) => modalities.includes(m))).toBe(true);
      expect(typeof s.responseStreamingSupported).toBe('boolean');
      expect(Array.isArray(s.customizationsSupported)).toBe(true);
      expect(s.inferenceTypesSupported!.length).toBeGreaterThan(0);
      expect(['ACTIVE', 'LEGACY']).toContain(s.modelLifecycle?.status);
    }
    expect(new Set(summaries.map((s) => s.modelId)).size).toBe(summaries.length);
  });

  it('keeps regions apart: a model placed in one region only is listed there only', async () => {
    // Claude 3.5 Sonnet v2: us-west-2 only in every seed row.
    const id = 'anthropic.claude-3-5-sonnet-20241022-v2:0';
    expect(baseIds(await list('us-west-2'))).toContain(id);
    expect(baseIds(await list('us-east-1'))).not.toContain(id);
    expect(baseIds(await list('eu-west-3'))).not.toContain(id);
  });

  it('filters by provider case-insensitively, by output modality, inference type and customization type', async () => {
    const region = 'us-east-1';
    const all = await list(region);
    const ids = (xs: FoundationModelSummary[]) => xs.map((s) => s.modelId).sort();

    const anthropic = await list(region, { byProvider: 'anthropic' });
    expect(anthropic.length).toBeGreaterThan(0);
    expect(ids(anthropic)).toEqual(ids(all.filter((s) => s.providerName!.toLowerCase() === 'anthropic')));
    expect(ids(await list(region, { byProvider: 'Anthropic' }))).toEqual(ids(anthropic));
    expect(ids(await list(region, { byProvider: 'ANTHROPIC' }))).toEqual(ids(anthropic));
    expect(await list(region, { byProvider: 'No Such Provider' })).toEqual([]);

    for (const byOutputModality of ['TEXT', 'IMAGE', 'EMBEDDING'] as const) {
      const got = await list(region, { byOutputModality });
      expect(ids(got)).toEqual(ids(all.filter((s) => s.outputModalities!.includes(byOutputModality))));
    }
    const embeddings = await list(region, { byOutputModality: 'EMBEDDING' });
    expect(ids(embeddings)).toContain('amazon.titan-embed-image-v1');

    const onDemand = await list(region, { byInferenceType: 'ON_DEMAND' });
    const provisioned = await list(region, { byInferenceType: 'PROVISIONED' });
    expect(ids(onDemand)).toEqual(ids(all.filter((s) => s.inferenceTypesSupported!.includes('ON_DEMAND'))));
    expect(ids(provisioned)).toEqual(ids(all.filter((s) => s.inferenceTypesSupported!.includes('PROVISIONED'))));
    expect(ids(provisioned)).toContain('anthropic.claude-3-haiku-20240307-v1:0:48k');
    expect(ids(onDemand)).not.toContain('anthropic.claude-3-haiku-20240307-v1:0:48k');

    for (const byCustomizationType of ['FINE_TUNING', 'CONTINUED_PRE_TRAINING', 'DISTILLATION'] as const) {
      const got = await list(region, { byCustomizationType });
      expect(ids(got)).toEqual(ids(all.filter((s) => s.customizationsSupported!.includes(byCustomizationType))));
    }

    const combined = await list(region, { byProvider: 'amazon', byOutputModality: 'EMBEDDING', byInferenceType: 'ON_DEMAND' });
    expect(ids(combined)).toEqual(
      ids(all.filter((s) => s.providerName === 'Amazon' && s.outputModalities!.includes('EMBEDDING') && s.inferenceTypesSupported!.includes('ON_DEMAND'))),
    );
  });

  it('rejects filter values outside the model with a 400 ValidationException', async () => {
    const res = await fetch(`${cp.endpoint}/foundation-models?byOutputModality=VIDEO&byProvider=bad!`);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
    const { message } = await res.json();
    expect(message).toMatch(/^2 validation errors detected: /);
    expect(message).toContain("Value 'VIDEO' at 'byOutputModality' failed to satisfy constraint: Member must satisfy enum value set: [TEXT, IMAGE, EMBEDDING]");
    expect(message).toContain("Value 'bad!' at 'byProvider' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9- ]{1,63}");
  });
});

describe('GetFoundationModel', () => {
  const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';

  it('answers the same details as the list, by id and by ARN', async () => {
    const summary = (await list('eu-west-3')).find((s) => s.modelId === haiku)!;
    const byId = await client('eu-west-3').send(new GetFoundationModelCommand({ modelIdentifier: haiku }));
    expect(byId.modelDetails).toEqual(summary);
    const byArn = await client('eu-west-3').send(new GetFoundationModelCommand({ modelIdentifier: summary.modelArn! }));
    expect(byArn.modelDetails).toEqual(summary);
    expect(byArn.$metadata.httpStatusCode).toBe(200);
  });

  it('answers a Provisioned Throughput id listed in the region', async () => {
    const pt = (await list('us-east-1', { byInferenceType: 'PROVISIONED' }))[0];
    const got = await client('us-east-1').send(new GetFoundationModelCommand({ modelIdentifier: pt.modelId! }));
    expect(got.modelDetails?.inferenceTypesSupported).toEqual(['PROVISIONED']);
  });

  it.each([
    ['an unknown model id', 'eu-west-3', 'acme.nothing-v1:0'],
    ['a model not offered in the region', 'eu-west-3', 'anthropic.claude-3-5-sonnet-20241022-v2:0'],
    ['an ARN of another region', 'eu-west-3', `arn:aws:bedrock:us-east-1::foundation-model/${haiku}`],
  ])('answers %s with a 400 ValidationException', async (_, region, modelIdentifier) => {
    const err = await client(region).send(new GetFoundationModelCommand({ modelIdentifier })).catch((e) => e);
    expect(err.name).toBe('ValidationException');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe(`Could not find model with identifier ${modelIdentifier}`);
  });

  it('validates the identifier against the model pattern', async () => {
    const res = await fetch(`${cp.endpoint}/foundation-models/NOT_A_MODEL`);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect((await res.json()).message).toMatch(/^1 validation error detected: Value 'NOT_A_MODEL' at 'modelIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
  });
});
