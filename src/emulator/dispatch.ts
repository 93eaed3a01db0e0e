// One path from an HTTP request to a handler: match the operation in the service models, build its input
// (validated per the model), call the handler from the route map, serialize its output per the model.
import { authenticate } from './auth/verify.js';
import { AwsError } from './errors.js';
import type { Emulator } from './emulator.js';
import { matchOperation } from './protocol/service-model.js';
import { parseInput, serializeOutput } from './protocol/rest-json.js';
import { requestContext, type RequestContext } from './request-context.js';
import type { OperationInput, OperationName, OperationOutput } from './operations.js';
import { HANDLERS, isRouted, type RoutedOperation } from './routes.js';
import { Answer, type HeaderReader, type WireRequest } from './wire.js';

export interface OpContext extends RequestContext {
  emu: Emulator;
  operation: string;
  headers: HeaderReader;
}

/** Operation K's handler: its SDK input in, its SDK output (or an Answer for streams and raw payloads) out. */
export type Handler<K extends OperationName> = (input: OperationInput<K>, ctx: OpContext) => OperationOutput<K> | Promise<OperationOutput<K>>;

/** A request's path (still percent-encoded) and query. */
export interface RequestTarget {
  rawPath: string;
  query: URLSearchParams;
}

// The targets a URL parser leaves as they are (so they need none): no dot segments (%2e is one too), no backslash,
// no character it would escape.
const PLAIN_TARGET = /^\/[!#$%&-;=?-[\]_a-z~]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?#]|$)|%2e/i;

/**
 * The parse step of every request: its target (a WireRequest's `url`) as a URL parser normalizes it (dot segments
 * resolved, unsafe characters escaped; an absolute-form target gives its path), split into path (still
 * percent-encoded) and query. A target with a backslash in its path, or none a URL can hold, is refused.
 */
export function requestTarget(target: string): RequestTarget {
  const url = PLAIN_TARGET.test(target) && !DOT_SEGMENT.test(target) ? target : normalized(target);
  const q = url.indexOf('?');
  if (q < 0) return { rawPath: url, query: new URLSearchParams() };
  return { rawPath: url.slice(0, q), query: new URLSearchParams(url.slice(q)) }; // drops that one '?'
}

function normalized(target: string): string {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  if (path.includes('\\') || !(target.startsWith('/') || /^https?:\/\//i.test(target))) throw badTarget();
  try {
    const url = new URL(target, 'http://localhost');
    return url.pathname + url.search;
  } catch {
    throw badTarget();
  }
}

const badTarget = () => new AwsError('ValidationException', 'The request target is not a valid path.');

/** Answers one AWS request; the caller maps a thrown error to AWS's envelope. */
export async function dispatch(req: WireRequest, target: RequestTarget, emu: Emulator, ctx: RequestContext): Promise<Answer> {
  const { rawPath, query } = target;
  const { match, methodMismatch } = matchOperation(req.method, rawPath);
  if (!match) {
    if (methodMismatch) throw new AwsError('MethodNotAllowedException', `Method ${req.method} is not allowed on ${rawPath}.`);
    throw new AwsError('UnknownOperationException', `No Bedrock operation matches ${req.method} ${rawPath}.`);
  }
  const name = match.compiled.op.name;
  if (!isRouted(name)) {
    throw new AwsError('UnknownOperationException', `${name} is an AWS Bedrock operation that bedrock-batch-emulator does not implement.`);
  }
  const body = await req.body(emu.config.get().runtime.maxBodyBytes, emu.bodyBudget);
  ctx = authenticate(req, rawPath, body, ctx, emu); // strict mode: SigV4 / API key, then the caller's account
  const input = parseInput(match.compiled, { labels: match.labels, query, headers: req.headers, body });
  // One literal of fixed shape (a spread or Object.assign of ctx costs V8 microseconds on every request).
  const opCtx: OpContext = { account: ctx.account, region: ctx.region, requestId: ctx.requestId, accessKeyId: ctx.accessKeyId, emu, operation: name, headers: req.headers };
  const output = await call(name, input, opCtx);
  if (output instanceof Answer) return output;
  const wire = serializeOutput(match.compiled, output);
  wire.headers['x-amzn-RequestId'] = ctx.requestId;
  return new Answer(wire.status, wire.headers, wire.body);
}

/**
 * Runs operation K's handler on a parsed input. The one place a wire value takes its SDK type: parseInput built it
 * from K's input shape in the service model and validated it there (JSON types, required members, enums, one member
 * per union), and the SDK's types are generated from that same model.
 */
function call<K extends RoutedOperation>(name: K, input: Record<string, unknown>, ctx: OpContext): object | Promise<object> {
  const handler: Handler<K> = HANDLERS[name];
  return handler(input as OperationInput<K>, ctx);
}

export type { RequestContext };
export { requestContext };
