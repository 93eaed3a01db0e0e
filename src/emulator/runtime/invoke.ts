// InvokeModel and InvokeModelWithResponseStream: the model's native body in, its native response (or stream of
// native events wrapped in `chunk` frames) out, with the token and latency headers Bedrock sends.
import { setTimeout as sleep } from 'node:timers/promises';
import type { OpContext } from '../dispatch.js';
import { AwsError, isAwsError } from '../errors.js';
import { parseJson } from '../json.js';
import type { OperationInput, OperationOutput } from '../operations.js';
import { fromFakeModel } from '../model-errors.js';
import { invokeModel, invokeModelStream } from '../../fake-models/index.js';
import { countTokens } from '../../fake-models/tokens.js';
import { Answer } from '../wire.js';
import { eventFrame, eventStreamAnswer } from './eventstream.js';
import { runtimeModel } from './model-resolution.js';

type InvokeInput = OperationInput<'InvokeModel' | 'InvokeModelWithResponseStream'>;

// Stateless between calls (no `stream` option), so one decoder serves every request.
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const JSON_TYPE = /^application\/json\b/i;
// The JS SDK sends application/octet-stream when the caller names no content type; Bedrock reads it as JSON.
const BODY_TYPE = /^application\/(json|octet-stream)\b/i;

function parseBody(input: InvokeInput, acceptHeader: string | undefined): unknown {
  if (input.contentType && !BODY_TYPE.test(input.contentType)) {
    throw new AwsError('ValidationException', `The provided content type ${input.contentType} is not supported by this model. Use application/json.`);
  }
  if (acceptHeader && !JSON_TYPE.test(acceptHeader) && !acceptHeader.includes('*/*')) {
    throw new AwsError('ValidationException', `The provided accept type ${acceptHeader} is not supported by this model. Use application/json.`);
  }
  try {
    return parseJson(UTF8.decode(input.body));
  } catch {
    throw new AwsError('ValidationException', 'Malformed input request, please reformat your input and try again.');
  }
}

export async function invokeModelHandler(input: OperationInput<'InvokeModel'>, ctx: OpContext): Promise<OperationOutput<'InvokeModel'>> {
  const started = Date.now();
  const model = runtimeModel(ctx, input.modelId);
  const body = parseBody(input, input.accept);
  ctx.emu.runtimeQuotas.admit(ctx, model.id, () => countTokens(JSON.stringify(body)));
  const result = fromFakeModel(() => invokeModel({ family: model.family, modelId: model.id, scripts: ctx.emu.scripts, now: ctx.emu.clock.now() }, body));
  if (result.delayMs) await sleep(result.delayMs);
  ctx.emu.runtimeQuotas.record(ctx, model.id, result.outputTokens);
  // One literal (a spread of the metrics into it cost V8 a slow object clone on every call).
  const headers = {
    'content-type': 'application/json',
    'x-amzn-requestid': ctx.requestId,
    'x-amzn-bedrock-input-token-count': String(result.inputTokens),
    'x-amzn-bedrock-output-token-count': String(result.outputTokens),
    'x-amzn-bedrock-invocation-latency': String(Date.now() - started),
  };
  return new Answer(200, headers, JSON.stringify(result.body));
}

export async function invokeModelWithResponseStreamHandler(input: OperationInput<'InvokeModelWithResponseStream'>, ctx: OpContext): Promise<OperationOutput<'InvokeModelWithResponseStream'>> {
  const started = Date.now();
  const model = runtimeModel(ctx, input.modelId);
  if (!model.streaming) throw new AwsError('ValidationException', 'The model is unsupported for streaming.');
  const body = parseBody(input, ctx.headers.get('x-amzn-bedrock-accept') ?? undefined);
  ctx.emu.runtimeQuotas.admit(ctx, model.id, () => countTokens(JSON.stringify(body)));
  let result: ReturnType<typeof invokeModelStream>;
  try {
    result = fromFakeModel(() => invokeModelStream({ family: model.family, modelId: model.id, scripts: ctx.emu.scripts, now: ctx.emu.clock.now() }, body));
  } catch (e) {
    // A stream error arrives inside the 200 event stream, as an exception frame; anything else before it starts.
    if (!isAwsError(e) || e.type !== 'ModelStreamErrorException') throw e;
    return eventStreamAnswer(failing(e), { 'x-amzn-bedrock-content-type': 'application/json', 'x-amzn-requestid': ctx.requestId });
  }
  if (result.delayMs) await sleep(result.delayMs);
  ctx.emu.runtimeQuotas.record(ctx, model.id, result.outputTokens);
  async function* frames() {
    const firstByte = Date.now() - started;
    for (let i = 0; i < result.events.length; i++) {
      let event = result.events[i];
      // Bedrock appends its invocation metrics to the last event of every provider's stream.
      if (i === result.events.length - 1) {
        event = {
          ...event,
          'amazon-bedrock-invocationMetrics': {
            inputTokenCount: result.inputTokens,
            outputTokenCount: result.outputTokens,
            invocationLatency: Date.now() - started,
            firstByteLatency: firstByte,
          },
        };
      }
      yield eventFrame('chunk', { bytes: Buffer.from(JSON.stringify(event)).toString('base64') });
    }
  }
  return eventStreamAnswer(frames(), { 'x-amzn-bedrock-content-type': 'application/json', 'x-amzn-requestid': ctx.requestId });
}

/** A stream whose first event is the error. */
async function* failing(error: AwsError): AsyncGenerator<Uint8Array> {
  throw error;
}
