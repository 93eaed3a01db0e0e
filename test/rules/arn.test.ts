// Bedrock ARNs, `arn:<partition>:bedrock:<region>:<account>:<resourceType>/<resourceId>`, by the service model's
// patterns (bedrock 2023-04-20): FoundationModelArn `arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}::foundation-model/…`
// (no account), InferenceProfileArn `…:bedrock:(|[0-9a-z-]{0,20}):(|[0-9]{12}):(inference-profile|application-inference-profile)/…`,
// ModelInvocationJobArn `…:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-invocation-job/[a-z0-9]{12}`. The partitions
// are AWS's (standard, GovCloud, China, the isolated ones and the European Sovereign Cloud). The parser is the
// registry's public surface, so it is called directly.
import { describe, expect, it } from 'vitest';
import { formatBedrockArn, foundationModelArn, parseBedrockArn, systemProfileArn } from '../../src/registry/index.js';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const ACCOUNT = '123456789012';

describe('parseBedrockArn', () => {
  it('splits a foundation-model ARN into its parts; the model id keeps its colons', () => {
    expect(parseBedrockArn(`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`)).toEqual({
      partition: 'aws', region: 'us-east-1', account: '', resourceType: 'foundation-model', resourceId: HAIKU,
    });
    expect(parseBedrockArn(`arn:aws:bedrock:us-west-2:${ACCOUNT}:inference-profile/us.${HAIKU}`, 'inference-profile')).toEqual({
      partition: 'aws', region: 'us-west-2', account: ACCOUNT, resourceType: 'inference-profile', resourceId: `us.${HAIKU}`,
    });
  });

  it('reads every partition Bedrock runs in', () => {
    for (const partition of ['aws', 'aws-us-gov', 'aws-cn', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']) {
      expect(parseBedrockArn(`arn:${partition}:bedrock:us-east-1::foundation-model/${HAIKU}`, 'foundation-model'), partition).toMatchObject({ partition });
    }
  });

  it('refuses what is not a whole Bedrock ARN', () => {
    const notArns = [
      HAIKU, // a bare model id
      '',
      `xarn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`,
      `arn:aws:s3:us-east-1::foundation-model/${HAIKU}`, // another service
      `arn:amazon:bedrock:us-east-1::foundation-model/${HAIKU}`, // no such partition
      `arn:aws:bedrock:US-EAST-1::foundation-model/${HAIKU}`, // region: [a-z0-9-]
      `arn:aws:bedrock:us-east-1:acct:inference-profile/us.${HAIKU}`, // account: digits
      `arn:aws:bedrock:us-east-1::foundation-model/`, // no resource id
      `arn:aws:bedrock:us-east-1::foundation-model`, // no resource at all
      `arn:aws:bedrock:us-east-1::Foundation-Model/${HAIKU}`, // resource type: [a-z-]
      `arn:aws:bedrock:us-east-1:foundation-model/${HAIKU}`, // the account field missing
    ];
    for (const arn of notArns) expect(parseBedrockArn(arn), arn).toBeUndefined();
  });

  it('given kinds, parses only an ARN of one of them', () => {
    const model = `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`;
    const profile = `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.${HAIKU}`;
    expect(parseBedrockArn(model, 'inference-profile')).toBeUndefined();
    expect(parseBedrockArn(profile, 'foundation-model')).toBeUndefined();
    expect(parseBedrockArn(model, 'foundation-model', 'inference-profile')).toMatchObject({ resourceType: 'foundation-model' });
    expect(parseBedrockArn(profile, 'foundation-model', 'inference-profile')).toMatchObject({ resourceType: 'inference-profile' });
    // Another resource type of Bedrock's (a guardrail): an ARN, but none of the kinds asked for.
    const guardrail = `arn:aws:bedrock:us-east-1:${ACCOUNT}:guardrail/abc123`;
    expect(parseBedrockArn(guardrail)).toMatchObject({ resourceType: 'guardrail', resourceId: 'abc123' });
    expect(parseBedrockArn(guardrail, 'foundation-model', 'inference-profile', 'application-inference-profile', 'model-invocation-job')).toBeUndefined();
  });

  it("holds each kind to its pattern's account and region", () => {
    // FoundationModelArn: `::foundation-model/` — AWS's own, no account; a region of 1 to 20 characters.
    expect(parseBedrockArn(`arn:aws:bedrock:us-east-1:${ACCOUNT}:foundation-model/${HAIKU}`, 'foundation-model')).toBeUndefined();
    expect(parseBedrockArn(`arn:aws:bedrock:::foundation-model/${HAIKU}`, 'foundation-model')).toBeUndefined();
    // InferenceProfileArn: `(|[0-9]{12})` — a system profile's ARN may leave the account out; 12 digits otherwise.
    expect(parseBedrockArn(`arn:aws:bedrock:us-east-1::inference-profile/us.${HAIKU}`, 'inference-profile')).toMatchObject({ account: '' });
    expect(parseBedrockArn(`arn:aws:bedrock:us-east-1:12345678901:inference-profile/us.${HAIKU}`, 'inference-profile')).toBeUndefined();
    expect(parseBedrockArn(`arn:aws:bedrock:us-east-1:1234567890123:inference-profile/us.${HAIKU}`, 'inference-profile')).toBeUndefined();
    // ModelInvocationJobArn: `[a-z0-9-]{1,20}:[0-9]{12}:model-invocation-job/[a-z0-9]{12}`.
    const job = (region: string, account: string, id: string) => parseBedrockArn(`arn:aws:bedrock:${region}:${account}:model-invocation-job/${id}`, 'model-invocation-job');
    expect(job('us-east-1', ACCOUNT, 'abcdef012345')).toMatchObject({ resourceId: 'abcdef012345', account: ACCOUNT });
    expect(job('', ACCOUNT, 'abcdef012345')).toBeUndefined();
    expect(job('us-east-1', '', 'abcdef012345')).toBeUndefined();
    expect(job('us-east-1', '1234567890', 'abcdef012345')).toBeUndefined();
    for (const id of ['abcdef01234', 'abcdef0123456', 'ABCDEF012345', 'abcdef-12345', 'x-abcdef012345', 'abcdef012345-x']) {
      expect(job('us-east-1', ACCOUNT, id), id).toBeUndefined();
    }
  });

  it("holds an application inference profile's ARN to an account", () => {
    // The profile is made in, and belongs to, the caller's account: its ARN carries the account's 12 digits.
    const app = (account: string) => parseBedrockArn(`arn:aws:bedrock:us-east-1:${account}:application-inference-profile/abcdef123456`, 'application-inference-profile');
    expect(app(ACCOUNT)).toMatchObject({ account: ACCOUNT, resourceId: 'abcdef123456' });
    expect(app('')).toBeUndefined();
    expect(app('12345678901')).toBeUndefined();
  });
});

describe('formatting ARNs', () => {
  it('writes the standard partition and an empty account unless told otherwise', () => {
    expect(formatBedrockArn({ region: 'us-east-1', resourceType: 'foundation-model', resourceId: HAIKU })).toBe(`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`);
    expect(formatBedrockArn({ partition: 'aws-cn', region: 'cn-north-1', account: ACCOUNT, resourceType: 'model-invocation-job', resourceId: 'abcdef012345' })).toBe(
      `arn:aws-cn:bedrock:cn-north-1:${ACCOUNT}:model-invocation-job/abcdef012345`,
    );
  });
  it("writes a foundation model's and a system profile's ARN as ListFoundationModels and ListInferenceProfiles answer them", () => {
    expect(foundationModelArn(HAIKU, 'eu-west-1')).toBe(`arn:aws:bedrock:eu-west-1::foundation-model/${HAIKU}`);
    expect(systemProfileArn(`us.${HAIKU}`, 'us-east-2', ACCOUNT)).toBe(`arn:aws:bedrock:us-east-2:${ACCOUNT}:inference-profile/us.${HAIKU}`);
  });
  it('parses what it writes', () => {
    const parts = { partition: 'aws-us-gov', region: 'us-gov-west-1', account: ACCOUNT, resourceType: 'application-inference-profile', resourceId: 'abcdef123456' } as const;
    expect(parseBedrockArn(formatBedrockArn(parts), 'application-inference-profile')).toEqual(parts);
  });
});
