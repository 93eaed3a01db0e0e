// One path from an HTTP request to a handler: match the operation in the service models, build its input
// (validated per the model), call the handler from the route map, serialize its output per the model.
import { AwsError } from './errors.js';
import type { Emulator } from './emulator.js';
import { matchOperation } from './protocol/service-model.js';
import { parseInput, serializeOutput } from './protocol/rest-json.js';
import { requestContext, type RequestContext } from './request-context.js';
import { HANDLERS } from './routes.js';

export interface OpContext extends RequestContext {
  emu: Emulator;
  operation: string;
  headers: Headers;
}

/** A handler returns the operation's output object, or a Response for streams and raw payloads. */
export type Handler = (input: any, ctx: OpContext) => unknown;

/** `incoming` is the Node request when served from a port: reading it directly skips building a fetch body. */
export async function dispatch(req: Request, emu: Emulator, ctx: RequestContext, incoming?: AsyncIterable<Uint8Array>): Promise<Response> {
  const url = new URL(req.url);
  const rawPath = req.url.slice(url.origin.length).split('?')[0];
  const { match, methodMismatch } = matchOperation(req.method, rawPath);
  if (!match) {
    if (methodMismatch) throw new AwsError('MethodNotAllowedException', `Method ${req.method} is not allowed on ${url.pathname}.`);
    throw new AwsError('UnknownOperationException', `No Bedrock operation matches ${req.method} ${url.pathname}.`);
  }
  const name = match.compiled.op.name;
  const handler = HANDLERS[name];
  if (!handler) {
    throw new AwsError('UnknownOperationException', `${name} is an AWS Bedrock operation that bedrock-batch-emulator does not implement.`);
  }
  const body = await readBody(req, emu.config.get().runtime.maxBodyBytes, incoming);
  const input = parseInput(match.compiled, { labels: match.labels, query: url.searchParams, headers: req.headers, body });
  const output = await handler(input, { ...ctx, emu, operation: name, headers: req.headers });
  if (output instanceof Response) return output;
  const wire = serializeOutput(match.compiled, (output ?? {}) as Record<string, unknown>);
  return new Response(wire.body as BodyInit, { status: wire.status, headers: wire.headers });
}

/** Reads the body up to `limit` bytes; larger bodies are refused without reading them whole. */
async function readBody(req: Request, limit: number, incoming?: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const tooLarge = () => new AwsError('RequestEntityTooLargeException', `Request body exceeds the maximum of ${limit} bytes.`);
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > limit) throw tooLarge();
  const source = incoming ?? (req.body as unknown as AsyncIterable<Uint8Array> | null);
  if (!source || req.method === 'GET' || req.method === 'HEAD') return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

export type { RequestContext };
export { requestContext };
