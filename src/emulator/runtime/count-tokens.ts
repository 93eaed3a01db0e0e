// CountTokens: the token count an InvokeModel or Converse request would be billed for, on the models AWS offers it.
import type { OpContext } from '../dispatch.js';
import { AwsError } from '../errors.js';
import { parseJson } from '../json.js';
import type { OperationInput, OperationOutput } from '../operations.js';
import { countRequestTokens } from '../../fake-models/index.js';
import { runtimeModel } from './model-resolution.js';

export function countTokensHandler(input: OperationInput<'CountTokens'>, ctx: OpContext): OperationOutput<'CountTokens'> {
  const model = runtimeModel(ctx, input.modelId);
  if (model.family !== 'anthropic-messages') {
    throw new AwsError('ValidationException', `The provided model doesn't support counting tokens.`);
  }
  if (input.input.invokeModel) {
    let body: unknown;
    try {
      body = parseJson(Buffer.from(input.input.invokeModel.body).toString('utf8'));
    } catch {
      throw new AwsError('ValidationException', 'Malformed input request, please reformat your input and try again.');
    }
    return { inputTokens: countRequestTokens({ invokeModel: { body } }) };
  }
  return { inputTokens: countRequestTokens({ converse: input.input.converse ?? {} }) };
}
