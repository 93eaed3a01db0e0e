// Inference profiles over a real port with the real SDK: system profiles per source region (seed 001's table),
// pagination, and the application-profile lifecycle (create 201, idempotency, conflicts, get, delete).
import {
  CreateInferenceProfileCommand,
  DeleteInferenceProfileCommand,
  GetInferenceProfileCommand,
  ListInferenceProfilesCommand,
  type InferenceProfileSummary,
  type ListInferenceProfilesCommandInput,
} from '@aws-sdk/client-bedrock';
import { describe, expect, it } from 'vitest';
import { controlPlane } from '../support/control-plane.js';
import { DEFAULT_CONFIG } from '../../src/emulator/config.js';
import { MODELS } from '../../src/emulator/protocol/service-model.js';
import { resolveModel } from '../../src/registry/index.js';

const cp = controlPlane();
const client = cp.client;
const ACCOUNT = DEFAULT_CONFIG.account;


async function listAll(region: string, input: ListInferenceProfilesCommandInput = {}) {
  const pages: InferenceProfileSummary[][] = [];
  let nextToken: string | undefined;
  do {
    const page = await client(region).send(new ListInferenceProfilesCommand({ ...input, nextToken }));
    pages.push(page.inferenceProfileSummaries ?? []);
    nextToken = page.nextToken;
  } while (nextToken);
  return { pages, all: pages.flat() };
}

const fm = (region: string, id: string) => `arn:aws:bedrock:${region}::foundation-model/${id}`;
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const US_HAIKU = `us.${HAIKU}`;
const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e) => e);

describe('system-defined inference profiles', () => {
  it('are listed from their source regions with the destinations of that source (seed 001)', async () => {
    // From us-east-1: us-east-1, us-west-2; from us-east-2: us-east-1, us-east-2, us-west-2.
    const east1 = await client('us-east-1').send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: US_HAIKU }));
    expect(east1.models!.map((m) => m.modelArn)).toEqual([fm('us-east-1', HAIKU), fm('us-west-2', HAIKU)]);
    expect(east1).toMatchObject({
      inferenceProfileId: US_HAIKU,
      inferenceProfileArn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/${US_HAIKU}`,
      status: 'ACTIVE',
      type: 'SYSTEM_DEFINED',
    });
    expect(east1.createdAt).toBeInstanceOf(Date);
    const east2 = await client('us-east-2').send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: US_HAIKU }));
    expect(east2.models!.map((m) => m.modelArn)).toEqual([fm('us-east-1', HAIKU), fm('us-east-2', HAIKU), fm('us-west-2', HAIKU)]);
    expect(east2.inferenceProfileArn).toBe(`arn:aws:bedrock:us-east-2:${ACCOUNT}:inference-profile/${US_HAIKU}`);
  });

  it('are found by ARN, and only from a source region', async () => {
    const arn = `arn:aws:bedrock:us-west-2:${ACCOUNT}:inference-profile/${US_HAIKU}`;
    const got = await client('us-west-2').send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: arn }));
    expect(got.inferenceProfileArn).toBe(arn);
    // us-east-2 is a destination but not a source of US Claude 3 Opus; eu-west-3 is neither for US profiles.
    for (const [region, id] of [
      ['us-east-2', 'us.anthropic.claude-3-opus-20240229-v1:0'],
      ['eu-west-3', US_HAIKU],
    ]) {
      const err = await errorOf(client(region).send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: id })));
      expect(err.name).toBe('ResourceNotFoundException');
      expect(err.$metadata.httpStatusCode).toBe(404);
    }
    // An ARN naming another region is not this region's profile.
    const err = await errorOf(client('us-east-1').send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: arn })));
    expect(err.name).toBe('ResourceNotFoundException');
  });

  it('list in every US source region matches GetInferenceProfile and the output shape', async () => {
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2']) {
      const { all } = await listAll(region, { typeEquals: 'SYSTEM_DEFINED' });
      expect(all.map((p) => p.inferenceProfileId)).toContain(US_HAIKU);
      for (const p of all) {
        expect(p.type).toBe('SYSTEM_DEFINED');
        expect(p.inferenceProfileArn).toMatch(new RegExp(`^(?:${MODELS.bedrock.shapes.InferenceProfileArn.pattern})$`));
        expect(p.models!.length).toBeGreaterThanOrEqual(1);
        // A geographic profile routes within its geography; a global one to every commercial region (20 and more).
        if (p.inferenceProfileId!.startsWith('global.')) expect(p.models!.length).toBeGreaterThanOrEqual(20);
        else expect(p.models!.length).toBeLessThanOrEqual(5);
        const got = await client(region).send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: p.inferenceProfileId }));
        const { $metadata, ...details } = got;
        expect(details).toEqual(p);
      }
    }
  });
});

describe('ListInferenceProfiles pagination', () => {
  it('filters, then cuts full pages with opaque tokens, without repeats or gaps', async () => {
    const region = 'us-west-2';
    for (let i = 0; i < 3; i++) {
      await client(region).send(new CreateInferenceProfileCommand({ inferenceProfileName: `page-${i}`, modelSource: { copyFrom: fm(region, HAIKU) } }));
    }
    const { all: everything } = await listAll(region);
    for (const typeEquals of [undefined, 'SYSTEM_DEFINED', 'APPLICATION'] as const) {
      const expected = everything.filter((p) => typeEquals === undefined || p.type === typeEquals);
      expect(expected.length).toBeGreaterThan(2);
      for (const maxResults of [1, 2, 5]) {
        const { pages, all } = await listAll(region, { typeEquals, maxResults });
        expect(all).toEqual(expected);
        expect(pages.slice(0, -1).every((p) => p.length === maxResults)).toBe(true);
        expect(pages.at(-1)!.length).toBeGreaterThan(0);
      }
    }
  });

  it('continues after a profile of an earlier page is deleted', async () => {
    const region = 'us-west-2';
    const first = await client(region).send(new ListInferenceProfilesCommand({ typeEquals: 'APPLICATION', maxResults: 1 }));
    const seen = first.inferenceProfileSummaries![0];
    await client(region).send(new DeleteInferenceProfileCommand({ inferenceProfileIdentifier: seen.inferenceProfileArn }));
    const { all: rest } = await listAll(region, { typeEquals: 'APPLICATION', maxResults: 1, nextToken: first.nextToken });
    const { all: now } = await listAll(region, { typeEquals: 'APPLICATION' });
    expect(rest).toEqual(now);
  });

  it('rejects a token it did not issue', async () => {
    const err = await errorOf(client('us-east-1').send(new ListInferenceProfilesCommand({ nextToken: 'not-a-token' })));
    expect(err.name).toBe('ValidationException');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('validates maxResults and type per the model (wire name `type`)', async () => {
    const res = await fetch(`${cp.endpoint}/inference-profiles?maxResults=0&type=CUSTOM`);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
    const { message } = await res.json();
    expect(message).toContain("Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1");
    expect(message).toContain("Value 'CUSTOM' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: [SYSTEM_DEFINED, APPLICATION]");
  });
});

describe('application inference profiles', () => {
  const region = 'us-east-1';

  it('are created from a foundation model (201) and read back by ARN and by id', async () => {
    const created = await client(region).send(
      new CreateInferenceProfileCommand({ inferenceProfileName: 'haiku single', description: 'Cost tracking: team A', modelSource: { copyFrom: fm(region, HAIKU) } }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.status).toBe('ACTIVE');
    expect(created.inferenceProfileArn).toMatch(new RegExp(`^arn:aws:bedrock:${region}:${ACCOUNT}:application-inference-profile/[a-z0-9]{12}$`));
    const id = created.inferenceProfileArn!.split('/')[1];
    for (const identifier of [created.inferenceProfileArn!, id]) {
      const got = await client(region).send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: identifier }));
      expect(got).toMatchObject({
        inferenceProfileName: 'haiku single',
        description: 'Cost tracking: team A',
        inferenceProfileArn: created.inferenceProfileArn,
        inferenceProfileId: id,
        models: [{ modelArn: fm(region, HAIKU) }],
        status: 'ACTIVE',
        type: 'APPLICATION',
      });
      expect(got.createdAt).toEqual(got.updatedAt);
    }
    const { all } = await listAll(region, { typeEquals: 'APPLICATION' });
    expect(all.map((p) => p.inferenceProfileArn)).toContain(created.inferenceProfileArn);
  });

  it('copied from a system profile route to its destinations from this region', async () => {
    const created = await client('us-east-2').send(
      new CreateInferenceProfileCommand({
        inferenceProfileName: 'haiku cross region',
        modelSource: { copyFrom: `arn:aws:bedrock:us-east-2:${ACCOUNT}:inference-profile/${US_HAIKU}` },
      }),
    );
    const got = await client('us-east-2').send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: created.inferenceProfileArn }));
    expect(got.models!.map((m) => m.modelArn)).toEqual([fm('us-east-1', HAIKU), fm('us-east-2', HAIKU), fm('us-west-2', HAIKU)]);
    // The lookup runtime and batch use to resolve the ARN, as the registry's resolveModel takes it.
    const scope = { account: ACCOUNT, region: 'us-east-2' };
    expect(cp.emu.profiles.lookup(scope, created.inferenceProfileArn!)).toMatchObject({
      modelSource: `arn:aws:bedrock:us-east-2:${ACCOUNT}:inference-profile/${US_HAIKU}`,
    });
    const resolved = resolveModel(created.inferenceProfileArn!, 'us-east-2', 'on-demand', { applicationProfile: (arn) => cp.emu.profiles.lookup(scope, arn) });
    expect(resolved).toMatchObject({ ok: true, via: 'application-profile', model: { id: HAIKU }, regions: ['us-east-1', 'us-east-2', 'us-west-2'] });
    expect(cp.emu.profiles.lookup({ account: ACCOUNT, region: 'us-east-1' }, created.inferenceProfileArn!)).toBeUndefined();
    // A system-profile ARN with an empty account field is accepted too.
    const blankAccount = await client('us-east-2').send(
      new CreateInferenceProfileCommand({ inferenceProfileName: 'haiku blank account', modelSource: { copyFrom: `arn:aws:bedrock:us-east-2::inference-profile/${US_HAIKU}` } }),
    );
    expect(blankAccount.$metadata.httpStatusCode).toBe(201);
  });

  it('are idempotent on clientRequestToken', async () => {
    const input = { inferenceProfileName: 'idem', modelSource: { copyFrom: fm(region, HAIKU) }, clientRequestToken: 'token-1' };
    const a = await client(region).send(new CreateInferenceProfileCommand(input));
    const b = await client(region).send(new CreateInferenceProfileCommand(input));
    expect(b.inferenceProfileArn).toBe(a.inferenceProfileArn);
    expect(b.$metadata.httpStatusCode).toBe(201);
    const { all } = await listAll(region, { typeEquals: 'APPLICATION' });
    expect(all.filter((p) => p.inferenceProfileName === 'idem')).toHaveLength(1);
    const err = await errorOf(client(region).send(new CreateInferenceProfileCommand({ ...input, inferenceProfileName: 'idem other' })));
    expect(err.name).toBe('ConflictException');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('refuse a duplicate name with ConflictException (400)', async () => {
    const input = { inferenceProfileName: 'dup', modelSource: { copyFrom: fm(region, HAIKU) } };
    await client(region).send(new CreateInferenceProfileCommand(input));
    const res = await fetch(`${cp.endpoint}/inference-profiles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ConflictException');
    expect((await res.json()).message).toContain('dup');
  });

  it.each([
    ['an unknown foundation model', fm('us-east-1', 'acme.nothing-v1:0')],
    ['an unknown system profile', `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.acme.nothing-v1:0`],
    ['a system profile not sourced from this region', `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.meta.llama3-1-405b-instruct-v1:0`],
    ['a model not offered in this region', fm('us-east-1', 'anthropic.claude-3-5-sonnet-20241022-v2:0')],
    ['a model ARN of another region', fm('us-west-2', HAIKU)],
    ['a system profile ARN of another account', `arn:aws:bedrock:us-east-1:999999999999:inference-profile/${US_HAIKU}`],
  ])('refuse %s as model source (400 ValidationException, as the runtime refuses the identifier)', async (_, copyFrom) => {
    const err = await errorOf(client('us-east-1').send(new CreateInferenceProfileCommand({ inferenceProfileName: 'bad source', modelSource: { copyFrom } })));
    expect(err.name).toBe('ValidationException');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toMatch(/^(The provided model identifier is invalid|Invocation of model ID)/);
    const { all } = await listAll('us-east-1', { typeEquals: 'APPLICATION' });
    expect(all.map((p) => p.inferenceProfileName)).not.toContain('bad source');
  });

  it('are per region and account', async () => {
    const created = await client('eu-west-3').send(new CreateInferenceProfileCommand({ inferenceProfileName: 'paris', modelSource: { copyFrom: fm('eu-west-3', HAIKU) } }));
    const id = created.inferenceProfileArn!.split('/')[1];
    for (const identifier of [id, created.inferenceProfileArn!]) {
      const err = await errorOf(client('eu-west-1').send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: identifier })));
      expect(err.name).toBe('ResourceNotFoundException');
    }
    // The same name is free in another region.
    const other = await client('eu-west-1').send(new CreateInferenceProfileCommand({ inferenceProfileName: 'paris', modelSource: { copyFrom: fm('eu-west-1', HAIKU) } }));
    expect(other.inferenceProfileArn).not.toBe(created.inferenceProfileArn);
  });

  it('are deleted, then not found; system profiles cannot be deleted', async () => {
    const created = await client(region).send(new CreateInferenceProfileCommand({ inferenceProfileName: 'to delete', modelSource: { copyFrom: fm(region, HAIKU) } }));
    const deleted = await client(region).send(new DeleteInferenceProfileCommand({ inferenceProfileIdentifier: created.inferenceProfileArn }));
    expect(deleted.$metadata.httpStatusCode).toBe(200);
    for (const send of [
      () => client(region).send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: created.inferenceProfileArn })),
      () => client(region).send(new DeleteInferenceProfileCommand({ inferenceProfileIdentifier: created.inferenceProfileArn })),
    ]) {
      const err = await errorOf(send());
      expect(err.name).toBe('ResourceNotFoundException');
      expect(err.$metadata.httpStatusCode).toBe(404);
    }
    // Its name can be used again.
    await client(region).send(new CreateInferenceProfileCommand({ inferenceProfileName: 'to delete', modelSource: { copyFrom: fm(region, HAIKU) } }));

    const res = await fetch(`${cp.endpoint}/inference-profiles/${encodeURIComponent(US_HAIKU)}`, { method: 'DELETE' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
    const stillThere = await client(region).send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: US_HAIKU }));
    expect(stillThere.type).toBe('SYSTEM_DEFINED');
  });

  it('GetInferenceProfile of an unknown id answers 404 with x-amzn-ErrorType', async () => {
    const res = await fetch(`${cp.endpoint}/inference-profiles/abcdefghijkl`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect((await res.json()).message).toContain('abcdefghijkl');
  });
});
