// What a modelId means in a region (resolveModel), by the forms AWS accepts (the service model's ModelIdentifier
// patterns: a model id, a foundation-model ARN, an inference profile id or ARN, an application inference profile
// ARN) and AWS's answers: "The provided model identifier is invalid." (ValidationException) for an id or ARN it
// does not serve in the region; ResourceNotFoundException for an application profile that does not exist; "with
// on-demand throughput isn’t supported" for a model served on demand only through an inference profile (Claude 3.7
// Sonnet). Regions of batch inference: the seed table (test/registry/seed-001-batch-table.md).
import { describe, expect, it } from 'vitest';
import { resolveModel } from '../../src/registry/index.js';

const INVALID = 'The provided model identifier is invalid.';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET_37 = 'anthropic.claude-3-7-sonnet-20250219-v1:0';
const APP = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123def456';

describe('resolveModel', () => {
  it('resolves a model id and its foundation-model ARN in the region, in any partition spelling', () => {
    expect(resolveModel(HAIKU, 'us-east-1', 'on-demand')).toMatchObject({ ok: true, via: 'model', regions: ['us-east-1'], model: { id: HAIKU } });
    expect(resolveModel(`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`, 'us-east-1', 'batch')).toMatchObject({ ok: true, model: { id: HAIKU } });
    expect(resolveModel(`arn:aws:bedrock:eu-west-1::foundation-model/${HAIKU}`, 'us-east-1', 'batch')).toEqual({ ok: false, errorType: 'ValidationException', message: INVALID });
  });
  it('marks ids that name nothing as unknown, and not ids the region does not serve', () => {
    expect(resolveModel('acme.nothing-v1', 'us-east-1', 'on-demand')).toEqual({ ok: false, errorType: 'ValidationException', message: INVALID, unknown: true });
    expect(resolveModel('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.acme.nothing-v1', 'us-east-1', 'on-demand')).toMatchObject({ ok: false, message: INVALID, unknown: true });
    const elsewhere = resolveModel('anthropic.claude-3-5-haiku-20241022-v1:0', 'us-east-1', 'batch'); // batch in us-west-2 only
    expect(elsewhere).toMatchObject({ ok: false, errorType: 'ValidationException' });
    expect(elsewhere).not.toHaveProperty('unknown');
    expect((elsewhere as { message: string }).message).toContain('us-west-2');
  });
  it("answers AWS's on-demand message for a model served only through a profile, naming the profile", () => {
    const r = resolveModel(SONNET_37, 'us-east-1', 'on-demand') as { ok: false; message: string };
    expect(r.ok).toBe(false);
    expect(r.message).toContain(`Invocation of model ID ${SONNET_37} with on-demand throughput isn’t supported.`);
    expect(r.message).toContain(`us.${SONNET_37}`);
    expect(resolveModel(SONNET_37, 'us-east-1', 'batch')).toMatchObject({ ok: true, via: 'model' });
  });
  it('resolves a system profile by id and ARN from its source regions only', () => {
    const id = `us.${SONNET_37}`;
    expect(resolveModel(id, 'us-east-1', 'on-demand')).toMatchObject({ ok: true, via: 'system-profile', profileId: id, model: { id: SONNET_37 } });
    expect(resolveModel(`arn:aws:bedrock:us-west-2:123456789012:inference-profile/${id}`, 'us-west-2', 'on-demand')).toMatchObject({ ok: true, profileId: id });
    expect(resolveModel(`arn:aws:bedrock:us-west-2:123456789012:inference-profile/${id}`, 'us-east-1', 'on-demand')).toEqual({ ok: false, errorType: 'ValidationException', message: INVALID });
    const outside = resolveModel(id, 'eu-west-1', 'on-demand') as { ok: false; message: string };
    expect(outside.ok).toBe(false);
    expect(outside.message.startsWith(INVALID)).toBe(true);
    expect(outside.message).toContain('eu-west-1');
  });
  it('resolves an application profile ARN through what it was copied from, in its own region', () => {
    const copiedFrom = (modelSource: string) => ({ applicationProfile: (arn: string) => (arn === APP ? { modelSource } : undefined) });
    expect(resolveModel(APP, 'us-east-1', 'on-demand', copiedFrom(HAIKU))).toMatchObject({ ok: true, via: 'application-profile', profileId: 'abc123def456', model: { id: HAIKU } });
    expect(resolveModel(APP, 'us-east-1', 'on-demand', copiedFrom('acme.nothing-v1'))).toMatchObject({ ok: false, message: INVALID });
    expect(resolveModel(APP, 'us-west-2', 'on-demand', copiedFrom(HAIKU))).toEqual({ ok: false, errorType: 'ValidationException', message: INVALID });
    expect(resolveModel(APP.replace('abc123def456', 'ffffffffffff'), 'us-east-1', 'on-demand', copiedFrom(HAIKU))).toEqual({
      ok: false, errorType: 'ResourceNotFoundException', message: `The inference profile ${APP.replace('abc123def456', 'ffffffffffff')} was not found.`,
    });
    expect(resolveModel(APP, 'us-east-1', 'on-demand')).toMatchObject({ ok: false, errorType: 'ResourceNotFoundException' });
  });
  it('accepts the partition spellings of the service model\'s ARN patterns (arn:aws, arn:aws-cn, arn:aws-us-gov), and only whole ARNs', () => {
    for (const partition of ['aws-cn', 'aws-us-gov']) {
      expect(resolveModel(`arn:${partition}:bedrock:us-east-1::foundation-model/${HAIKU}`, 'us-east-1', 'on-demand'), partition).toMatchObject({ ok: true });
      expect(resolveModel(`arn:${partition}:bedrock:us-east-1:123456789012:inference-profile/us.${SONNET_37}`, 'us-east-1', 'on-demand'), partition).toMatchObject({ ok: true });
      const app = APP.replace('arn:aws:', `arn:${partition}:`);
      expect(resolveModel(app, 'us-east-1', 'on-demand', { applicationProfile: (arn) => (arn === app ? { modelSource: HAIKU } : undefined) }), partition).toMatchObject({ ok: true });
    }
    expect(resolveModel(`xarn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`, 'us-east-1', 'on-demand')).toMatchObject({ ok: false, unknown: true });
    expect(resolveModel(`xarn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${SONNET_37}`, 'us-east-1', 'on-demand')).toMatchObject({ ok: false, unknown: true });
    const lookup = { applicationProfile: () => ({ modelSource: HAIKU }) };
    expect(resolveModel(`x${APP}`, 'us-east-1', 'on-demand', lookup)).toMatchObject({ ok: false, errorType: 'ValidationException' });
    expect(resolveModel(`${APP}/more`, 'us-east-1', 'on-demand', lookup)).toMatchObject({ ok: false, errorType: 'ValidationException' });
  });
  it("gives a US system profile's destinations from a US source region (AWS: us.anthropic.claude-3-7-sonnet routes to us-east-1, us-east-2, us-west-2)", () => {
    const r = resolveModel(`us.${SONNET_37}`, 'us-east-1', 'on-demand') as { regions: string[] };
    expect([...r.regions].sort()).toEqual(['us-east-1', 'us-east-2', 'us-west-2']);
  });
  it('takes a system profile for batch when its model runs batch in a destination region', () => {
    // Claude 3.5 Haiku: batch in us-west-2 only (seed table); its US profile routes there from us-east-1.
    expect(resolveModel('us.anthropic.claude-3-5-haiku-20241022-v1:0', 'us-east-1', 'batch')).toMatchObject({ ok: true, via: 'system-profile' });
  });
  it('says where a model is offered when the region does not offer it, and names only profiles of that model usable from the region', () => {
    const batch = (resolveModel('anthropic.claude-3-5-haiku-20241022-v1:0', 'us-east-1', 'batch') as { message: string }).message;
    expect(batch.startsWith('The model anthropic.claude-3-5-haiku-20241022-v1:0 is not supported for batch inference in us-east-1: ')).toBe(true);
    expect(batch).toContain('is not offered for batch inference in us-east-1; it is offered in us-west-2.');
    const onDemand = (resolveModel(SONNET_37, 'us-east-1', 'on-demand') as { message: string }).message;
    expect(onDemand).not.toMatch(/\b(eu|apac|jp|au)\.anthropic/);
    expect(onDemand).not.toContain('claude-3-5');
    const embed = (resolveModel('amazon.titan-embed-text-v2:0', 'af-south-1', 'on-demand') as { message: string }).message;
    expect(embed.startsWith('The provided model identifier is invalid in af-south-1: amazon.titan-embed-text-v2:0 is not offered for on-demand inference in af-south-1; it is offered in ')).toBe(true);
    expect(embed).toContain('us-east-1');
    expect(embed.endsWith('.')).toBe(true);
    expect(embed).not.toContain('Inference profiles');
  });
});

