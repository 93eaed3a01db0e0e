// One path from an HTTP request to a handler: match the operation in the service models, build its input
// (validated per the model), call the handler from the route map, serialize its output per the model.
import type { Readable } from 'node:stream';
import { authenticate } from './auth/verify.js';
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

/** A request URL's path (still percent-encoded) and query. */
export interface RequestTarget {
  rawPath: string;
  query: URLSearchParams;
}

/**
 * Cuts the path and query out of a Request's URL, which is absolute and already normalized by the URL parser
 * (dot segments resolved, unsafe characters escaped), so this gives what a URL object would, without building one.
 */
export function requestTarget(href: string): RequestTarget {
  const start = href.indexOf('/', href.indexOf('//') + 2);
  if (start < 0) return { rawPath: '/', query: new URLSearchParams() };
  const hash = href.indexOf('#', start);
  const end = hash < 0 ? href.length : hash;
  const q = href.indexOf('?', start);
  if (q < 0 || q > end) return { rawPath: href.slice(start, end), query: new URLSearchParams() };
  return { rawPath: href.slice(start, q), query: new URLSearchParams(href.slice(q, end)) }; // drops that one '?'
}

/**
 * Answers one AWS request; the caller maps a thrown error to AWS's envelope. `incoming` is the Node request when
 * served from a port: reading it directly skips building a fetch body.
 */
export async function dispatch(req: Request, target: RequestTarget, emu: Emulator, ctx: RequestContext, incoming?: Readable): Promise<Response> {
  const { rawPath, query } = target;
  const { match, methodMismatch } = matchOperation(req.method, rawPath);
  if (!match) {
    if (methodMismatch) throw new AwsError('MethodNotAllowedException', `Method ${req.method} is not allowed on ${rawPath}.`);
    throw new AwsError('UnknownOperationException', `No Bedrock operation matches ${req.method} ${rawPath}.`);
  }
  const name = match.compiled.op.name;
  const handler = HANDLERS[name];
  if (!handler) {
    throw new AwsError('UnknownOperationException', `${name} is an AWS Bedrock operation that bedrock-batch-emulator does not implement.`);
  }
  const body = await readBody(req, emu.config.get().runtime.maxBodyBytes, incoming);
  ctx = authenticate(req, rawPath, body, ctx, emu); // strict mode: SigV4 / API key, then the caller's account
  const input = parseInput(match.compiled, { labels: match.labels, query, headers: req.headers, body });
  // Object.assign, not `{ ...ctx, emu, … }`: V8 takes microseconds over a spread followed by more properties.
  const output = await handler(input, Object.assign({}, ctx, { emu, operation: name, headers: req.headers }));
  if (output instanceof Response) return output;
  const wire = serializeOutput(match.compiled, (output ?? {}) as Record<string, unknown>);
  wire.headers['x-amzn-RequestId'] = ctx.requestId;
  return new Response(wire.body as BodyInit, { status: wire.status, headers: wire.headers });
}

const tooLarge = (limit: number) => new AwsError('RequestEntityTooLargeException', `Request body exceeds the maximum of ${limit} bytes.`);

/** Reads the body up to `limit` bytes; a larger body is refused without being held in memory. */
function readBody(req: Request, limit: number, incoming?: Readable): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  if (req.method === 'GET' || req.method === 'HEAD' || !(incoming ?? req.body)) return Promise.resolve(new Uint8Array());
  return incoming ? readStream(incoming, limit) : readWeb(req.body as unknown as AsyncIterable<Uint8Array>, limit);
}

/** A fetch Request's body (msw handlers and `app.fetch` callers). */
async function readWeb(body: AsyncIterable<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

/**
 * The Node request's body through its events: a `for await` over it costs an async iterator and a finished-stream
 * watcher per request. Past `limit` the rest is read and dropped, so the 413 still reaches the client.
 */
function readStream(stream: Readable, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      if (size > limit) return; // refused already
      size += chunk.byteLength;
      if (size <= limit) chunks.push(chunk);
      else reject(tooLarge(limit));
    });
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    stream.once('error', reject);
    // A request whose connection drops mid-body closes without 'end'.
    stream.once('close', () => stream.readableEnded || reject(new Error('The request closed before its body was complete.')));
  });
}

export type { RequestContext };
export { requestContext };
