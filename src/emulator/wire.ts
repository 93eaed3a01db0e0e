// One request and its answer, apart from how they travel. The app's `serve` reads a WireRequest and produces an
// Answer; adapters make a WireRequest from a fetch Request (msw, tests, `app.fetch`) or from Node's request
// (HTTP/1.1 and HTTP/2 on the port), and writers turn an Answer into a fetch Response or write it straight to
// Node's response. Serving from the port this way skips building fetch objects per request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants as h2, Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { Readable } from 'node:stream';
import { AwsError } from './errors.js';

/** Request headers by name; a fetch `Headers` object is one. The Node adapter expects lower-case names. */
export interface HeaderReader {
  get(name: string): string | null;
}

export interface WireRequest {
  method: string;
  /** The request target as sent, without any fragment (dispatch.ts's requestTarget parses it). */
  url: string;
  headers: HeaderReader;
  /** The Host header (HTTP/2's :authority) as sent; undefined without one. */
  readonly authority: string | undefined;
  /** host[:port] as a URL of the request holds it (SigV4 signs it); a Host no URL can hold is refused (400). */
  host(): string;
  /** The headers as fetch's Headers (for the admin routes' router, which takes a fetch Request). */
  fetchHeaders(): Headers;
  /**
   * The body, refused past `limit` bytes (413) without being held in memory, and with 503 when `budget` (the bytes
   * all requests may hold while they arrive) has no room for it.
   */
  body(limit: number, budget?: BodyBudget): Promise<Uint8Array>;
}

/** What an operation answers: a fixed body, or the frames of an event stream. Header names as they go out. */
export class Answer {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: string | Uint8Array | AsyncIterable<Uint8Array>,
  ) {}
}

/**
 * The request body bytes one emulator holds in memory at once, across all requests while their bodies arrive. A
 * body takes its declared length at once (so a request beyond the budget is refused before it is read), or its
 * bytes as they come; it gives them back once read (or refused).
 */
export class BodyBudget {
  private used = 0;
  constructor(private readonly max: () => number) {}

  get buffered(): number {
    return this.used;
  }

  /** A hold on `declared` bytes (0 when unknown); throws ServiceUnavailableException when they do not fit. */
  hold(declared: number): BodyHold {
    const hold = new BodyHold(this);
    hold.grow(declared);
    return hold;
  }

  /** @internal */
  take(n: number): void {
    if (this.used + n > this.max()) throw busy();
    this.used += n;
  }

  /** @internal */
  give(n: number): void {
    this.used -= n;
  }
}

export class BodyHold {
  private held = 0;
  constructor(private readonly budget: BodyBudget) {}

  /** Grows the hold to `total` bytes (never shrinks it). */
  grow(total: number): void {
    if (total <= this.held) return;
    this.budget.take(total - this.held);
    this.held = total;
  }

  release(): void {
    this.budget.give(this.held);
    this.held = 0;
  }
}

// Bedrock's runtime models a 503 ServiceUnavailableException (a fault on the service's side, retried by the SDKs)
// and a 429 ThrottlingException documented as the caller exceeding its account quotas. A full buffer is the
// emulator's capacity, not the caller's quota: the 503.
const busy = () => new AwsError('ServiceUnavailableException', 'The emulator is holding as many request bytes as it may (maxBufferedBytes); retry the request shortly.');

const tooLarge = (limit: number) => new AwsError('RequestEntityTooLargeException', `Request body exceeds the maximum of ${limit} bytes.`);
const NO_BODY = new Uint8Array();

// ---------------------------------------------------------------------------------------------------------------
// fetch

/** A fetch Request (msw handlers, tests). */
export class FetchRequest implements WireRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: HeaderReader;

  constructor(private readonly req: Request) {
    this.method = req.method;
    this.url = pathAndQuery(req.url);
    this.headers = req.headers;
  }

  get authority(): string {
    return this.host();
  }

  host(): string {
    return new URL(this.req.url).host;
  }

  fetchHeaders(): Headers {
    return this.req.headers;
  }

  async body(limit: number, budget?: BodyBudget): Promise<Uint8Array> {
    const declared = Number(this.headers.get('content-length') ?? NaN);
    if (declared > limit) throw tooLarge(limit);
    if (this.method === 'GET' || this.method === 'HEAD' || !this.req.body) return NO_BODY;
    const hold = budget?.hold(declared || 0);
    try {
      return await readWeb(this.req.body as unknown as AsyncIterable<Uint8Array>, limit, hold);
    } finally {
      hold?.release();
    }
  }
}

/**
 * The path and query of a Request's URL, which is absolute and already normalized by the URL parser (dot segments
 * resolved, unsafe characters escaped), so this gives what a URL object would, without building one.
 */
function pathAndQuery(href: string): string {
  const start = href.indexOf('/', href.indexOf('//') + 2);
  if (start < 0) return '/';
  const hash = href.indexOf('#', start);
  return hash < 0 ? href.slice(start) : href.slice(start, hash);
}

export function toResponse(answer: Answer): Response {
  const { body } = answer;
  const init = { status: answer.status, headers: answer.headers };
  if (typeof body === 'string' || body instanceof Uint8Array) return new Response(body as BodyInit, init);
  const frames = body[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await frames.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await frames.return?.();
    },
  });
  return new Response(stream, init);
}

/** A fetch Request's body (msw handlers and `app.fetch` callers). */
async function readWeb(body: AsyncIterable<Uint8Array>, limit: number, hold?: BodyHold): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    hold?.grow(size);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

// ---------------------------------------------------------------------------------------------------------------
// node:http and node:http2

type NodeIncoming = IncomingMessage | Http2ServerRequest;
type NodeOutgoing = ServerResponse | Http2ServerResponse;

// A Host the URL parser takes as it is (its fast path); anything else is parsed, and refused if it changes.
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;

/** Node's request as a WireRequest; its target is parsed by `serve`, like every transport's. */
export function nodeRequest(incoming: NodeIncoming): NodeRequest {
  const url = incoming.url ?? '/';
  const hash = url.indexOf('#');
  const http2 = incoming instanceof Http2ServerRequest;
  return new NodeRequest(incoming, incoming.method ?? 'GET', hash < 0 ? url : url.slice(0, hash), http2 ? incoming.authority : firstHost(incoming.rawHeaders), http2);
}

/** The Host header as Node's `headers.host` gives it (the first one), without building that object. */
function firstHost(raw: string[]): string | undefined {
  for (let i = 0; i < raw.length; i += 2) if (raw[i].length === 4 && raw[i].toLowerCase() === 'host') return raw[i + 1];
  return undefined;
}

export class NodeRequest implements WireRequest, HeaderReader {
  readonly headers: HeaderReader = this;

  constructor(
    readonly incoming: NodeIncoming,
    readonly method: string,
    readonly url: string,
    readonly authority: string | undefined,
    readonly http2: boolean,
  ) {}

  /** A header by lower-case name, repeats joined as fetch's Headers joins them (`, `; `; ` for cookie). */
  get(name: string): string | null {
    const raw = this.incoming.rawHeaders;
    let value: string | null = null;
    for (let i = 0; i < raw.length; i += 2) {
      const key = raw[i];
      if (key.length === name.length && (key === name || key.toLowerCase() === name)) {
        const v = trimOws(raw[i + 1]);
        value = value === null ? v : value + (name === 'cookie' ? '; ' : ', ') + v;
      }
    }
    return value;
  }

  host(): string {
    const authority = this.authority;
    if (authority !== undefined && PLAIN_HOST.test(authority)) return authority;
    const refused = () => new AwsError('ValidationException', 'The request\'s Host header is missing or not a valid host name.');
    if (!authority) throw refused();
    let url: URL;
    try {
      url = new URL(`http://${authority}`);
    } catch {
      throw refused();
    }
    // A Host the parser reads as another name (userinfo, a path) is not the one a client signed.
    if (url.host !== authority.toLowerCase() && url.hostname !== authority.toLowerCase().replace(/:\d+$/, '')) throw refused();
    return url.host;
  }

  fetchHeaders(): Headers {
    const headers = new Headers();
    const raw = this.incoming.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) if (raw[i][0] !== ':') headers.append(raw[i], raw[i + 1]);
    return headers;
  }

  body(limit: number, budget?: BodyBudget): Promise<Uint8Array> {
    const declared = Number(this.get('content-length') ?? NaN);
    if (declared > limit) return Promise.reject(tooLarge(limit));
    if (this.method === 'GET' || this.method === 'HEAD') return Promise.resolve(NO_BODY);
    if (!budget) return readNode(this.incoming, limit);
    let hold: BodyHold;
    try {
      hold = budget.hold(declared || 0);
    } catch (e) {
      return Promise.reject(e);
    }
    const read = readNode(this.incoming, limit, hold);
    read.then(
      () => hold.release(),
      () => hold.release(),
    );
    return read;
  }
}

const isOws = (code: number) => code === 9 || code === 10 || code === 13 || code === 32;
const trimOws = (v: string) => (v.length && (isOws(v.charCodeAt(0)) || isOws(v.charCodeAt(v.length - 1))) ? v.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '') : v);

/**
 * Node's request body through its events: a `for await` over it costs an async iterator and a finished-stream
 * watcher per request. Past `limit` (or the budget) the rest is read and dropped, so the error still reaches the
 * client.
 */
function readNode(stream: Readable, limit: number, hold?: BodyHold): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const refuse = (e: unknown) => {
      refused = true;
      chunks = [];
      reject(e);
    };
    stream.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.byteLength;
      if (size > limit) return refuse(tooLarge(limit));
      try {
        hold?.grow(size);
      } catch (e) {
        return refuse(e);
      }
      chunks.push(chunk);
    });
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    stream.once('error', reject);
    // A request whose connection drops mid-body closes without 'end'.
    stream.once('close', () => stream.readableEnded || reject(new Error('The request closed before its body was complete.')));
  });
}

/**
 * Writes an answer to Node's response: a fixed body with its length, an event stream frame by frame as produced,
 * waiting for 'drain' when the client reads slowly and stopping (closing the frame source) when it goes away.
 */
export function writeAnswer(answer: Answer, req: NodeRequest, res: NodeOutgoing): void | Promise<void> {
  const { body } = answer;
  const fixed = typeof body === 'string' || body instanceof Uint8Array;
  if (!req.incoming.readableEnded && req.method !== 'GET' && req.method !== 'HEAD') res.once('finish', () => discardBody(req));
  if (gone(res)) {
    if (!fixed) return void body[Symbol.asyncIterator]().return?.();
    return;
  }
  if (fixed) {
    // A HEAD answer goes without body or length, as through Hono (which answers HEAD as GET with the body dropped).
    if (req.method === 'HEAD') {
      res.writeHead(answer.status, answer.headers);
      res.end();
      return;
    }
    answer.headers['Content-Length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    res.writeHead(answer.status, answer.headers);
    res.end(body);
    return;
  }
  res.writeHead(answer.status, answer.headers);
  (res as ServerResponse).flushHeaders(); // Http2ServerResponse has it too
  return pump(body[Symbol.asyncIterator](), res);
}

const gone = (res: NodeOutgoing) => ('stream' in res ? res.stream.destroyed : res.destroyed);

async function pump(frames: AsyncIterator<Uint8Array>, res: NodeOutgoing): Promise<void> {
  let closed = false; // before the last frame was written: the client went away
  let wake: (() => void) | undefined;
  const onClose = () => {
    closed = true;
    wake?.();
  };
  const onDrain = () => wake?.();
  res.on('close', onClose);
  res.on('drain', onDrain);
  try {
    for (;;) {
      const { value, done } = await frames.next();
      if (done || closed) break;
      if (!(res as ServerResponse).write(value) && !closed) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (closed) break;
    }
    if (closed) await frames.return?.();
    else res.end();
  } catch (e) {
    // The frame sources turn errors into exception frames; anything reaching here is a bug.
    console.error('bedrock-batch-emulator: unexpected error while streaming', e);
    res.destroy();
  } finally {
    res.off('close', onClose);
    res.off('drain', onDrain);
  }
}

const DRAIN_TIMEOUT_MS = 500;
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/** A body left unread (the answer came first: an error, a 413) is read and dropped, within limits, as Hono does. */
function discardBody({ incoming, http2 }: NodeRequest): void {
  if (incoming.readableEnded || incoming.destroyed) return;
  if (http2) {
    try {
      (incoming as Http2ServerRequest).stream?.close?.(h2.NGHTTP2_NO_ERROR);
    } catch {
      // already closed
    }
    return;
  }
  let bytes = 0;
  const cleanup = () => {
    clearTimeout(timer);
    incoming.off('data', onData);
    incoming.off('end', cleanup);
    incoming.off('error', cleanup);
  };
  const forceClose = () => {
    cleanup();
    const socket = (incoming as IncomingMessage).socket;
    if (socket && !socket.destroyed) socket.destroySoon();
  };
  const onData = (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_DRAIN_BYTES) forceClose();
  };
  const timer = setTimeout(forceClose, DRAIN_TIMEOUT_MS);
  timer.unref();
  incoming.on('data', onData);
  incoming.on('end', cleanup);
  incoming.on('error', cleanup);
  incoming.resume();
}
