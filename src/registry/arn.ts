// Bedrock resource ARNs, `arn:<partition>:bedrock:<region>:<account>:<resourceType>/<resourceId>`: one parser and
// one formatter for every kind the emulator reads or makes, and the partitions Bedrock runs in spelled once. Here
// rather than in the emulator because the registry's lookups (and the catalogue files it reads) take ARNs too.

/** The standard, GovCloud, China, isolated and European Sovereign Cloud partitions (the service model's patterns allow `aws(-[^:]+)?`). */
export const PARTITIONS = ['aws', 'aws-us-gov', 'aws-cn', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'] as const;
export type Partition = (typeof PARTITIONS)[number];

export interface BedrockArn {
  partition: Partition;
  region: string;
  /** Empty for a foundation model (AWS's own); may be empty in a system inference profile's ARN. */
  account: string;
  resourceType: string;
  resourceId: string;
}

/** What each kind of ARN holds beyond the common frame, after the service model's patterns (FoundationModelArn,
 * InferenceProfileArn, ModelInvocationJobArn): every kind names a region. */
const KINDS = {
  'foundation-model': { account: /^$/, id: /^.+$/ },
  'inference-profile': { account: /^(?:\d{12})?$/, id: /^.+$/ },
  'application-inference-profile': { account: /^\d{12}$/, id: /^[a-z0-9]+$/ },
  'model-invocation-job': { account: /^\d{12}$/, id: /^[a-z0-9]{12}$/ },
} as const;
export type BedrockArnKind = keyof typeof KINDS;

const ARN = new RegExp(`^arn:(${PARTITIONS.join('|')}):bedrock:([a-z0-9-]*):([0-9]*):([a-z-]+)/(.+)$`);

/**
 * The parts of a Bedrock ARN; undefined when it is not one. Given kinds, only an ARN of one of them, well formed
 * for its kind, parses.
 */
export function parseBedrockArn(arn: string, ...kinds: BedrockArnKind[]): BedrockArn | undefined {
  const m = ARN.exec(arn);
  if (!m) return undefined;
  const parsed: BedrockArn = { partition: m[1] as Partition, region: m[2], account: m[3], resourceType: m[4], resourceId: m[5] };
  if (!kinds.length) return parsed;
  const kind = kinds.find((k) => k === parsed.resourceType);
  const shape = kind && KINDS[kind];
  return shape && parsed.region !== '' && shape.account.test(parsed.account) && shape.id.test(parsed.resourceId) ? parsed : undefined;
}

export function formatBedrockArn(a: { partition?: Partition; region: string; account?: string; resourceType: BedrockArnKind; resourceId: string }): string {
  return `arn:${a.partition ?? 'aws'}:bedrock:${a.region}:${a.account ?? ''}:${a.resourceType}/${a.resourceId}`;
}

export const foundationModelArn = (modelId: string, region: string) => formatBedrockArn({ region, resourceType: 'foundation-model', resourceId: modelId });
export const systemProfileArn = (id: string, region: string, account: string) => formatBedrockArn({ region, account, resourceType: 'inference-profile', resourceId: id });
