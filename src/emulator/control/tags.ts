// TagResource, UntagResource, ListTagsForResource: POST with the ARN in the body. Taggable resources are the types
// registered in the TagStore (application inference profiles, batch inference jobs); any other ARN, or one of
// another region, is not found, and one of another account is refused as AWS's IAM refuses cross-account calls.
import type { OpContext } from '../dispatch.js';
import { AwsError, notFound } from '../errors.js';
import type { OperationInput, OperationOutput } from '../operations.js';
import { parseBedrockArn } from '../../registry/index.js';
import type { Tag } from '../stores/tags.js';

/** AWS's limit, existing and new tags together (TooManyTagsException's documentation in the service model). */
export const MAX_TAGS_PER_RESOURCE = 50;

/** Throws for tags AWS refuses before storing anything: the reserved `aws:` prefix, and too many in total. */
export function checkNewTags(resourceName: string, existing: Tag[], tags: Tag[]): void {
  const reserved = tags.find((t) => t.key.toLowerCase().startsWith('aws:'));
  if (reserved) throw new AwsError('ValidationException', `Tag key '${reserved.key}' is invalid: the 'aws:' prefix is reserved for AWS use.`);
  const keys = new Set([...existing.map((t) => t.key), ...tags.map((t) => t.key)]);
  if (keys.size > MAX_TAGS_PER_RESOURCE) {
    throw new AwsError(
      'TooManyTagsException',
      `The request contains more tags than can be associated with a resource (${MAX_TAGS_PER_RESOURCE} tags per resource). The maximum number of tags includes both existing tags and those included in your current request.`,
      { resourceName },
    );
  }
}

function taggable(ctx: OpContext, arn: string, action: string): void {
  const parsed = parseBedrockArn(arn);
  if (parsed?.account && parsed.account !== ctx.account) {
    throw new AwsError(
      'AccessDeniedException',
      `User: arn:aws:iam::${ctx.account}:root is not authorized to perform: bedrock:${action} on resource: ${arn} because no resource-based policy allows the bedrock:${action} action`,
    );
  }
  if (!parsed || parsed.region !== ctx.region || !ctx.emu.tags.exists(ctx, arn)) {
    throw notFound(`The resource ${arn} was not found. Check the Amazon Resource Name (ARN) and try your request again.`);
  }
}

export function tagResource(input: OperationInput<'TagResource'>, ctx: OpContext): OperationOutput<'TagResource'> {
  taggable(ctx, input.resourceARN, 'TagResource');
  checkNewTags(input.resourceARN, ctx.emu.tags.list(ctx, input.resourceARN), input.tags);
  ctx.emu.tags.set(ctx, input.resourceARN, input.tags);
  return {};
}

export function untagResource(input: OperationInput<'UntagResource'>, ctx: OpContext): OperationOutput<'UntagResource'> {
  taggable(ctx, input.resourceARN, 'UntagResource');
  ctx.emu.tags.remove(ctx, input.resourceARN, input.tagKeys);
  return {};
}

export function listTagsForResource(input: OperationInput<'ListTagsForResource'>, ctx: OpContext): OperationOutput<'ListTagsForResource'> {
  taggable(ctx, input.resourceARN, 'ListTagsForResource');
  return { tags: ctx.emu.tags.list(ctx, input.resourceARN) };
}
