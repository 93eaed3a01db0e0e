// Inference profiles on a catalogue written here (buildCatalog over rows in the data files' form), against the
// rules the catalogue documents (src/registry/catalog.ts, DATA-NOTES.md): a profile routes per source region when
// its destinations say so; CreateModelInvocationJob takes a system profile when the model's batchViaProfile is true
// (from every source region) or lists the source region, or else when a destination region runs batch for the
// model (the seed rule); a model offered nowhere is named so. Messages start with AWS's "The provided model
// identifier is invalid." where AWS answers that.
import { describe, expect, it } from 'vitest';
import { buildCatalog, type ModelRow } from '../../src/registry/catalog.js';
import { resolveModel } from '../../src/registry/index.js';

const row = (id: string, extra: Partial<ModelRow>): ModelRow => ({
  id, name: id, provider: 'Acme', family: 'anthropic-messages', inputModalities: ['TEXT'], outputModalities: ['TEXT'],
  inferenceTypesSupported: ['ON_DEMAND'], source: 'test', read: '2026-11-30', ...extra,
});
const both = ['us-east-1', 'us-east-2'];
const catalog = buildCatalog({
  models: [
    row('acme.a-v1', { onDemandRegions: ['us-east-1'], batchRegions: ['us-west-2'] }),
    row('acme.b-v1', { onDemandRegions: ['us-east-1'], batchViaProfile: true }),
    row('acme.c-v1', { onDemandRegions: ['us-east-1'], batchViaProfile: ['us-east-1'] }),
    row('acme.d-v1', { inferenceTypesSupported: ['INFERENCE_PROFILE'] }),
    row('acme.e-v1', { onDemandRegions: ['us-east-1', 'us-east-2'] }),
    row('acme.f-v1', {}),
  ],
  profiles: [
    { id: 'us.acme.a-v1', name: 'a', modelId: 'acme.a-v1', sourceRegions: both, destinations: { 'us-east-1': ['us-east-1', 'us-west-2'], 'us-east-2': ['us-east-2'] }, source: 'test', read: '2026-11-30' },
    ...['b', 'c', 'd'].map((m) => ({ id: `us.acme.${m}-v1`, name: m, modelId: `acme.${m}-v1`, sourceRegions: both, destinations: both, source: 'test', read: '2026-11-30' })),
    ...['us', 'global'].map((geo) => ({ id: `${geo}.acme.e-v1`, name: 'e', modelId: 'acme.e-v1', sourceRegions: ['us-west-2'], destinations: both, source: 'test', read: '2026-11-30' })),
  ],
  geographies: [],
  regions: ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1'].map((id) => ({ id, name: id, partition: 'aws' as const, source: 'test', read: '2026-11-30' })),
});
const resolve = (id: string, region: string, use: 'batch' | 'on-demand') => resolveModel(id, region, use, { catalog });
const message = (r: ReturnType<typeof resolveModel>) => (r.ok ? '' : r.message);

describe('inference profiles on a given catalogue', () => {
  it('resolves from the catalogue it is given', () => {
    expect(resolve('acme.a-v1', 'us-east-1', 'on-demand')).toMatchObject({ ok: true, via: 'model' });
  });
  it('routes per source region when the destinations say so', () => {
    expect(resolve('us.acme.a-v1', 'us-east-1', 'on-demand')).toMatchObject({ ok: true, regions: ['us-east-1', 'us-west-2'] });
    expect(resolve('us.acme.a-v1', 'us-east-2', 'on-demand')).toMatchObject({ ok: true, regions: ['us-east-2'] });
  });
  it('takes a profile for batch where a destination runs batch for the model, and refuses it elsewhere', () => {
    expect(resolve('us.acme.a-v1', 'us-east-1', 'batch')).toMatchObject({ ok: true, via: 'system-profile' });
    expect(resolve('us.acme.a-v1', 'us-east-2', 'batch')).toEqual({ ok: false, errorType: 'ValidationException', message: 'acme.a-v1 does not support batch inference through us.acme.a-v1.' });
  });
  it("follows the model's batchViaProfile: true from every source region, a list from those listed", () => {
    expect(resolve('us.acme.b-v1', 'us-east-2', 'batch')).toMatchObject({ ok: true });
    expect(resolve('us.acme.c-v1', 'us-east-1', 'batch')).toMatchObject({ ok: true });
    expect(resolve('us.acme.c-v1', 'us-east-2', 'batch')).toMatchObject({ ok: false });
    expect(resolve('us.acme.d-v1', 'us-east-1', 'batch')).toMatchObject({ ok: false });
  });
  it('names the source regions of a profile used from elsewhere', () => {
    expect(message(resolve('us.acme.a-v1', 'eu-west-1', 'on-demand'))).toBe(
      'The provided model identifier is invalid. The inference profile us.acme.a-v1 can be used from us-east-1, us-east-2, not from eu-west-1.',
    );
  });
  it('says where a model is offered, with the profiles of it that work from the region, and only those', () => {
    expect(message(resolve('acme.a-v1', 'us-east-1', 'batch'))).toBe(
      'The model acme.a-v1 is not supported for batch inference in us-east-1: acme.a-v1 is not offered for batch inference in us-east-1; it is offered in us-west-2. Inference profiles for it that work from us-east-1: us.acme.a-v1.',
    );
    expect(message(resolve('acme.a-v1', 'us-west-2', 'on-demand'))).toBe(
      'The provided model identifier is invalid in us-west-2: acme.a-v1 is not offered for on-demand inference in us-west-2; it is offered in us-east-1.',
    );
    expect(message(resolve('acme.d-v1', 'us-east-1', 'batch'))).toBe(
      'The model acme.d-v1 is not supported for batch inference in us-east-1: acme.d-v1 is not offered for batch inference in us-east-1; no region offers it for batch inference by its bare id. Inference profiles for it that work from us-east-1: us.acme.d-v1.',
    );
    // Two regions and two profiles: each named, comma-separated.
    expect(message(resolve('acme.e-v1', 'us-west-2', 'on-demand'))).toBe(
      'The provided model identifier is invalid in us-west-2: acme.e-v1 is not offered for on-demand inference in us-west-2; it is offered in us-east-1, us-east-2. Inference profiles for it that work from us-west-2: us.acme.e-v1, global.acme.e-v1.',
    );
    // A model no region offers, with neither a profile requirement nor batch through a profile: no "bare id".
    expect(message(resolve('acme.f-v1', 'us-east-1', 'on-demand'))).toBe(
      'The provided model identifier is invalid in us-east-1: acme.f-v1 is not offered for on-demand inference in us-east-1; no region offers it for on-demand inference.',
    );
    expect(message(resolve('acme.b-v1', 'us-west-2', 'batch'))).toBe(
      'The model acme.b-v1 is not supported for batch inference in us-west-2: acme.b-v1 is not offered for batch inference in us-west-2; no region offers it for batch inference by its bare id.',
    );
  });

  it('refuses a catalogue whose per-region destinations leave out a source region of the profile', () => {
    const data = (destinations: Record<string, string[]>) => ({
      models: [row('acme.a-v1', { onDemandRegions: ['us-east-1'] })],
      profiles: [{ id: 'us.acme.a-v1', name: 'a', modelId: 'acme.a-v1', sourceRegions: both, destinations, source: 'test', read: '2026-11-30' }],
      geographies: [],
      regions: both.map((id) => ({ id, name: id, partition: 'aws' as const, source: 'test', read: '2026-11-30' })),
    });
    expect(() => buildCatalog(data({ 'us-east-1': ['us-east-1'] }))).toThrow('catalogue: profile us.acme.a-v1 has no destinations for its source region us-east-2');
    expect(() => buildCatalog(data({ 'us-east-1': ['us-east-1'], 'us-east-2': ['us-east-2'] }))).not.toThrow();
  });
});
