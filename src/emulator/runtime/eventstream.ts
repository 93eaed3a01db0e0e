// application/vnd.amazon.eventstream responses: a frame per event, written as soon as it is produced, with
// exception frames for errors mid-stream, using the SDK's own codec.
import type { EventStreamCodec } from '@smithy/eventstream-codec';
import { createRequire } from 'node:module';
import { AwsError, isAwsError } from '../errors.js';
import { Answer } from '../wire.js';

const require = createRequire(import.meta.url);
let loaded: { codec: EventStreamCodec; fromUtf8: (s: string) => Uint8Array } | undefined;
/** The codec and its UTF-8 helpers (~35 ms to load) are required on the first streamed response, not at start-up. */
function sdk() {
  if (!loaded) {
    const { EventStreamCodec } = require('@smithy/eventstream-codec') as typeof import('@smithy/eventstream-codec');
    const { fromUtf8, toUtf8 } = require('@smithy/util-utf8') as typeof import('@smithy/util-utf8');
    loaded = { codec: new EventStreamCodec(toUtf8, fromUtf8), fromUtf8 };
  }
  return loaded;
}

const str = (value: string) => ({ type: 'string' as const, value });

export const eventFrame = (eventType: string, payload: unknown) => {
  const { codec, fromUtf8 } = sdk();
  return codec.encode({
    headers: { ':message-type': str('event'), ':event-type': str(eventType), ':content-type': str('application/json') },
    body: fromUtf8(JSON.stringify(payload)),
  });
};

/** `:exception-type` is the stream union's member name (`modelStreamErrorException`), which SDKs map to the error. */
export const exceptionFrame = (error: AwsError) => {
  const { codec, fromUtf8 } = sdk();
  return codec.encode({
    headers: { ':message-type': str('exception'), ':exception-type': str(error.type[0].toLowerCase() + error.type.slice(1)), ':content-type': str('application/json') },
    body: fromUtf8(JSON.stringify({ message: error.message, ...error.extra })),
  });
};

/** A 200 event-stream answer whose frames come from an async generator; an error once streaming has begun is sent
 * as an exception frame, as Bedrock does, since the HTTP status is already 200. */
export function eventStreamAnswer(frames: AsyncIterable<Uint8Array>, headers: Record<string, string>): Answer {
  return new Answer(200, { 'content-type': 'application/vnd.amazon.eventstream', ...headers }, guarded(frames));
}

async function* guarded(frames: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* frames;
  } catch (e) {
    yield exceptionFrame(isAwsError(e) ? e : new AwsError('InternalServerException', 'The emulator hit an internal error while streaming.'));
  }
}
