// TagResource / UntagResource / ListTagsForResource over a real port with the real SDK, on application inference
// profiles and on a resource type registered the way the batch-job store registers its own.
import {
  CreateInferenceProfileCommand,
  DeleteInferenceProfileCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-bedrock';
import { describe, expect, it } from 'vitest';
import { controlPlane } from '../support/control-plane.js';
import { DEFAULT_CONFIG } from '../../src/emulator/config.js';

const cp = controlPlane();
const ACCOUNT = DEFAULT_CONFIG.account;
const REGION = 'us-east-1';

const client = (region = REGION) =>
  cp.client(region);
const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e) => e);
const tagsOf = async (resourceARN: string, region = REGION) => (await client(region).send(new ListTagsForResourceCommand({ resourceARN }))).tags;

let counter = 0;
async function newProfile(tags?: { key: string; value: string }[]) {
  const out = await client().send(
    new CreateInferenceProfileCommand({
      inferenceProfileName: `tagged-${counter++}`,
      modelSource: { copyFrom: `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0` },
      tags,
    }),
  );
  return out.inferenceProfileArn!;
}

describe('tags on application inference profiles', () => {
  it('round-trip: create with tags, add, overwrite, remove, list', async () => {
    const arn = await newProfile([
      { key: 'project', value: 'customer-service-ai' },
      { key: 'department', value: 'ai-research' },
    ]);
    expect(await tagsOf(arn)).toEqual([
      { key: 'project', value: 'customer-service-ai' },
      { key: 'department', value: 'ai-research' },
    ]);
    const tagged = await client().send(new TagResourceCommand({ resourceARN: arn, tags: [{ key: 'env', value: 'prod' }, { key: 'project', value: 'v2' }] }));
    expect(tagged.$metadata.httpStatusCode).toBe(200);
    expect(await tagsOf(arn)).toEqual([
      { key: 'project', value: 'v2' },
      { key: 'department', value: 'ai-research' },
      { key: 'env', value: 'prod' },
    ]);
    await client().send(new UntagResourceCommand({ resourceARN: arn, tagKeys: ['department', 'never-set'] }));
    expect(await tagsOf(arn)).toEqual([
      { key: 'project', value: 'v2' },
      { key: 'env', value: 'prod' },
    ]);
    await client().send(new UntagResourceCommand({ resourceARN: arn, tagKeys: ['project', 'env'] }));
    expect(await tagsOf(arn)).toEqual([]);
  });

  it('are forgotten with the profile: its ARN is then not found', async () => {
    const arn = await newProfile([{ key: 'k', value: 'v' }]);
    await client().send(new DeleteInferenceProfileCommand({ inferenceProfileIdentifier: arn }));
    const err = await errorOf(tagsOf(arn));
    expect(err.name).toBe('ResourceNotFoundException');
  });

  it('allow 50 per resource, existing and new together; more is TooManyTagsException naming the resource', async () => {
    const arn = await newProfile(Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: 'v' })));
    // Overwriting existing keys does not count twice.
    await client().send(new TagResourceCommand({ resourceARN: arn, tags: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'w' })) }));
    expect(await tagsOf(arn)).toHaveLength(50);
    const res = await fetch(`${cp.endpoint}/tagResource`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceARN: arn, tags: [{ key: 'one-more', value: 'v' }] }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('TooManyTagsException');
    const body = await res.json();
    expect(body.resourceName).toBe(arn);
    expect(body.message).toContain('50 tags per resource');
    const err = await errorOf(client().send(new TagResourceCommand({ resourceARN: arn, tags: [{ key: 'one-more', value: 'v' }] })));
    expect(err.name).toBe('TooManyTagsException');
    expect(err.resourceName).toBe(arn);
    expect(await tagsOf(arn)).toHaveLength(50);

    const tooMany = await errorOf(newProfile(Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }))));
    expect(tooMany.name).toBe('TooManyTagsException');
  });

  it('refuse keys with the reserved aws: prefix', async () => {
    const arn = await newProfile();
    const err = await errorOf(client().send(new TagResourceCommand({ resourceARN: arn, tags: [{ key: 'aws:cloudformation:stack', value: 'x' }] })));
    expect(err.name).toBe('ValidationException');
    expect(await tagsOf(arn)).toEqual([]);
  });
});

describe('tagging ARNs that are not taggable here', () => {
  it.each([
    ['an application profile that does not exist', `arn:aws:bedrock:${REGION}:${ACCOUNT}:application-inference-profile/abcdefghijkl`, 404, 'ResourceNotFoundException'],
    ['a system profile', `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0`, 404, 'ResourceNotFoundException'],
    ['a resource type nobody registered', `arn:aws:bedrock:${REGION}:${ACCOUNT}:provisioned-model/abcdefghijkl`, 404, 'ResourceNotFoundException'],
    ['a bare name', 'my-custom-model-name-x', 404, 'ResourceNotFoundException'],
    ['another account', `arn:aws:bedrock:${REGION}:999999999999:application-inference-profile/abcdefghijkl`, 403, 'AccessDeniedException'],
  ])('%s → %i %s on all three operations', async (_, resourceARN, status, type) => {
    for (const [path, body] of [
      ['/tagResource', { resourceARN, tags: [{ key: 'k', value: 'v' }] }],
      ['/untagResource', { resourceARN, tagKeys: ['k'] }],
      ['/listTagsForResource', { resourceARN }],
    ] as const) {
      const res = await fetch(cp.endpoint + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(status);
      expect(res.headers.get('x-amzn-errortype')).toBe(type);
      expect(typeof (await res.json()).message).toBe('string');
    }
  });

  it('a profile of another region is not found from this one', async () => {
    const arn = await newProfile();
    const err = await errorOf(tagsOf(arn, 'us-west-2'));
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.$metadata.httpStatusCode).toBe(404);
    expect(await tagsOf(arn)).toEqual([]);
  });
});

describe('resource types registered by other stores', () => {
  it('become taggable through registerResourceType', async () => {
    const jobs = new Set([`arn:aws:bedrock:${REGION}:${ACCOUNT}:model-invocation-job/abcdefghijkl`]);
    cp.emu.tags.registerResourceType('model-invocation-job', (scope, arn) => scope.region === REGION && jobs.has(arn));
    const [job] = jobs;
    await client().send(new TagResourceCommand({ resourceARN: job, tags: [{ key: 'batch', value: 'nightly' }] }));
    expect(await tagsOf(job)).toEqual([{ key: 'batch', value: 'nightly' }]);
    const missing = await errorOf(tagsOf(`arn:aws:bedrock:${REGION}:${ACCOUNT}:model-invocation-job/zzzzzzzzzzzz`));
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});
