// The embedded S3: s3rver's request handlers (a koa app), called in this process by a small front on the public
// port (no second HTTP hop) that decodes aws-chunked uploads (s3rver 3.x would store the framing as data), verifies
// checksums and echoes them as S3 does, and drops SigV4 credentials (s3rver only knows its own key; the emulator's
// S3 is open on loopback). The front is also where a request's bucket and key are read, once (`target`): s3rver
// then gets them exactly, and its file store (./store.ts) keeps every name a plain file under the data dir.
// And it keeps web pages out (`browserGate`): any page a developer visits can send requests to 127.0.0.1, so a
// request carrying an Origin (browsers add it) is served only when the bucket's CORS configuration allows it, and
// POST form uploads (the only route to s3rver's multipart parser, busboy/dicer, which has a known advisory) only
// when the user turned them on. XML bodies are screened before s3rver's parser (fast-xml-parser 3.x, which turns
// an element named `__proto__` into the parsed object's prototype) sees them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { createRequire } from 'node:module';
import { DEFAULT_CONFIG } from '../config.js';
import { hostForUrl, hostRefusal, httpServerOptions, limitConnections, type ConnectionLimits, type HostPolicy } from '../network.js';
import { AwsChunkedDecoder, ChecksumMismatch, INCOMPLETE_BODY, IncompleteBody } from './aws-chunked.js';
import { escapeXml as xml, patchS3rver } from './patches.js';
import { embeddedObjects, type S3Objects } from './objects.js';
import { isValidBucketName, MAX_KEY_BYTES, SafeFilesystemStore } from './store.js';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');
const S3Error = require('s3rver/lib/models/error') as new (code: string, message: string, detail?: Record<string, string>) => Error;
const { METHODS: BUCKET_SUBRESOURCES } = require('s3rver/lib/controllers/bucket') as { METHODS: string[] };

interface CorsRule {
  allowedOrigins: RegExp[];
  allowedMethods: string[];
  allowedHeaders: RegExp[];
}

export interface S3ServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  silent?: boolean;
  /** Whether POST Object (HTML form uploads) is served; read per request. Off by default. */
  allowPostForms?: () => boolean;
  /** Timeouts and connection cap of the public port (see ../network.ts); DEFAULT_CONFIG's without it. */
  limits?: ConnectionLimits;
  /** Which Host names the public port serves; loopback names only without it (unless `host` is not loopback). */
  hosts?: HostPolicy;
}

export interface S3Server {
  endpoint: string;
  port: number;
  /** Key index entries examined by all listings so far (what listing costs; see ./key-index.ts). */
  listingExamined(): number;
  /** The store's objects in this process, for the job engine (what its API would answer, without the requests). */
  objects: S3Objects;
  /** Empties the store: no buckets, no objects. */
  clear(): Promise<void>;
  close(): Promise<void>;
}

const AUTH_QUERY = /^X-Amz-(Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Security-Token)$/i;

function s3Error(res: http.ServerResponse, status: number, code: string, message: string, detail: Record<string, string> = {}) {
  const elements = Object.entries(detail).map(([name, value]) => `<${name}>${xml(value)}</${name}>`).join('');
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message>${elements}</Error>`);
}

class Refused extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly detail: Record<string, string> = {}) {
    super(message);
  }
}

/** S3's answers to a cross-origin request its bucket's CORS configuration does not allow. */
const CORS_NOT_ENABLED = 'CORSResponse: CORS is not enabled for this bucket.';
const CORS_NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

/** XML bodies s3rver parses: DeleteObjects, CompleteMultipartUpload, Put{BucketCors,BucketWebsite,ObjectTagging}. */
function parsesXmlBody(method: string, params: URLSearchParams): boolean {
  if (method === 'POST') return params.has('delete') || params.has('uploadId');
  return method === 'PUT' && (params.has('cors') || params.has('website') || params.has('tagging'));
}
/** Beyond S3's own limits for these bodies (1,000 keys to delete, 10,000 parts to complete). */
const MAX_XML_BODY_BYTES = 8 * 1024 * 1024;
/** Element and attribute names fast-xml-parser 3.x would assign onto the parsed object's prototype chain. */
const PROTOTYPE_NAMES = /<\/?(?:[\w.-]+:)?(?:__proto__|constructor|prototype)[\s/>]|<[^>]*\s(?:[\w.-]+:)?(?:__proto__|constructor|prototype)\s*=/;
const MALFORMED_XML = new Refused(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');

async function readXmlBody(source: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > MAX_XML_BODY_BYTES) throw new Refused(400, 'MaxMessageLengthExceeded', 'Your request was too big.');
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  if (PROTOTYPE_NAMES.test(body.toString('utf8'))) throw MALFORMED_XML;
  return body;
}

/** Node's own answers to requests its parser refuses (see http.Server's 'clientError'). */
const CLIENT_ERROR_STATUS: Record<string, string> = { HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large', ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout' };

/** The region a request was signed for (SigV4 header or presigned query); unsigned requests are us-east-1's. */
function signingRegion(headers: http.IncomingHttpHeaders, params: URLSearchParams): string {
  const credential = /Credential=([^,\s]+)/.exec(String(headers.authorization ?? ''))?.[1] ?? params.get('X-Amz-Credential') ?? '';
  return credential.split('/')[2] || 'us-east-1';
}

/** The Host s3rver sees when the client's would mislead it (a virtual host) or there is none (HTTP/1.0). */
const S3RVER_HOST = '127.0.0.1';

/** s3rver's virtual-hosted pattern (`BUCKET.s3[-website][-REGION].amazonaws.com`). */
const VHOST = /^(.+)\.s3(?:-website)?(?:[-.].+)?\.amazonaws\.com$/;

function decode(raw: string, what: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new Refused(400, 'InvalidURI', `Couldn't parse the specified URI: the ${what} is not valid percent-encoded UTF-8.`);
  }
}

function checkBucket(bucket: string) {
  if (!isValidBucketName(bucket)) throw new Refused(400, 'InvalidBucketName', 'The specified bucket is not valid.');
}

function checkKey(key: string) {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new Refused(400, 'KeyTooLongError', 'Your key is too long');
}

/**
 * The bucket and key of a request, from its raw path (and Host, virtual-hosted style), as the path to give
 * s3rver: `/bucket/<the whole key as one encoded segment>`, so `..`, `.`, empty segments and backslashes reach
 * the store as the key's own characters (S3 keeps them: `a/../b` is a key, not `b`). Also canonicalizes
 * `x-amz-copy-source`. Throws Refused for what S3 refuses.
 */
function target(req: http.IncomingMessage, headers: http.IncomingHttpHeaders): string {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const rawPath = q === -1 ? raw : raw.slice(0, q);
  if (!rawPath.startsWith('/')) throw new Refused(400, 'InvalidURI', "Couldn't parse the specified URI.");
  const vhost = VHOST.exec(String(headers.host ?? '').replace(/:\d+$/, '').toLowerCase())?.[1];
  let bucket: string;
  let key: string | undefined;
  if (vhost) {
    bucket = vhost;
    key = rawPath.length > 1 ? decode(rawPath.slice(1), 'key') : undefined;
    headers.host = S3RVER_HOST; // s3rver must not apply the virtual host a second time
  } else {
    const slash = rawPath.indexOf('/', 1);
    bucket = decode(slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash), 'bucket name');
    key = slash === -1 ? undefined : decode(rawPath.slice(slash + 1), 'key');
  }
  const source = headers['x-amz-copy-source'];
  if (source !== undefined) {
    const value = String(source).replace(/^\//, '').split('?')[0];
    const slash = value.indexOf('/');
    if (slash <= 0 || slash === value.length - 1) throw new Refused(400, 'InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey.');
    const sourceBucket = decode(value.slice(0, slash), 'copy source bucket');
    const sourceKey = decode(value.slice(slash + 1), 'copy source key');
    checkBucket(sourceBucket);
    checkKey(sourceKey);
    // s3rver reads the header with decodeURI, which encodeURI inverts exactly.
    headers['x-amz-copy-source'] = `/${sourceBucket}/${encodeURI(sourceKey)}`;
  }
  if (!bucket) {
    if (key) throw new Refused(400, 'InvalidBucketName', 'The specified bucket is not valid.');
    return '/';
  }
  checkBucket(bucket);
  if (!key) return `/${bucket}`;
  checkKey(key);
  return `/${bucket}/${encodeURIComponent(key)}`;
}

/** What an answer owes S3's wire form beyond s3rver's: the request's checksums echoed, those of its trailer too. */
interface Owed {
  checksums: Record<string, string>;
  decoder?: AwsChunkedDecoder;
}

/**
 * The request s3rver gets for a body the front decoded or read first: the body's stream, carrying what s3rver and
 * koa read of a request (method, target, headers, socket), the request's own answer owed.
 */
function requestOf(req: http.IncomingMessage, url: string, headers: http.IncomingHttpHeaders, body: Readable, owed: WeakMap<Readable, Owed>): Readable {
  const { method, httpVersion, httpVersionMajor, httpVersionMinor, socket, rawHeaders } = req;
  owed.set(body, owed.get(req)!);
  return Object.assign(body, { method, url, headers, httpVersion, httpVersionMajor, httpVersionMinor, socket, connection: socket, rawHeaders });
}

/**
 * Koa middleware in front of all of s3rver's: a method s3rver has no route for (DELETE /, POST /bucket/key, …)
 * answers S3's 405 MethodNotAllowed, not koa's plain 404 "Not Found"; an aws-chunked body whose checksum is wrong
 * answers BadDigest, one whose length or framing is wrong IncompleteBody; a PUT or POST that succeeds echoes its
 * checksums, as S3 does.
 */
function answering(owed: WeakMap<Readable, Owed>) {
  return async (ctx: { req: Readable; method: string; status: number; body: unknown; set(headers: Record<string, string>): void }, next: () => Promise<void>) => {
    const { checksums, decoder } = owed.get(ctx.req) ?? { checksums: {} };
    try {
      await next();
    } catch (e) {
      if (e instanceof ChecksumMismatch) throw new S3Error('BadDigest', e.message);
      if (e instanceof IncompleteBody) throw new S3Error('IncompleteBody', e.message);
      // Broken framing, or a body that ended before its final chunk: the body is not what was announced.
      if (decoder?.errored) throw new S3Error('IncompleteBody', `${INCOMPLETE_BODY} (${(decoder.errored as Error).message})`);
      throw e;
    }
    if (ctx.status === 404 && ctx.body == null && ctx.method !== 'HEAD') throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.');
    if (ctx.status < 300 && (ctx.method === 'PUT' || ctx.method === 'POST')) {
      ctx.set({ ...checksums, ...(decoder?.trailers && Object.fromEntries(Object.entries(decoder.trailers).filter(([k]) => k.startsWith('x-amz-checksum-')))) });
    }
  };
}

export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const { limits = DEFAULT_CONFIG, hosts = { bindHost: options.host, allowedHosts: [] } } = options;
  mkdirSync(options.dataDir, { recursive: true });
  // vhostBuckets off: a Host such as `emulator:4581` names the server, not a bucket (the front maps *.amazonaws.com).
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: options.silent ?? true, directory: options.dataDir, allowMismatchedSignatures: true, vhostBuckets: false });
  const store = new SafeFilesystemStore(options.dataDir);
  const objects = embeddedObjects(store);
  await store.open();
  s3rver.store = s3rver.context.store = store;
  patchS3rver(s3rver, { silent: options.silent ?? true });
  // What each request's answer owes S3's wire form, known only once its body is read (see `answering`).
  const owed = new WeakMap<Readable, Owed>();
  s3rver.middleware.unshift(answering(owed));
  const serveS3rver: (req: Readable, res: http.ServerResponse) => void = s3rver.callback();

  /** Refuses what a web page could make a browser send, unless the bucket (or the user, for forms) allows it. */
  async function browserGate(req: http.IncomingMessage, bucket: string, hasKey: boolean, params: URLSearchParams) {
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS';
    if (req.method === 'POST' && bucket && !hasKey && !BUCKET_SUBRESOURCES.some((m) => params.has(m)) && !options.allowPostForms?.()) {
      throw new Refused(403, 'AccessDenied', 'POST Object (HTML form upload) is turned off on the emulator\'s S3: start it with --s3-allow-post-forms (s3AllowPostForms) to allow it.');
    }
    if (origin === undefined) return;
    const method = preflight ? String(req.headers['access-control-request-method'] ?? '') : req.method!;
    // A preflight without its method goes on to s3rver, which answers it 400 as S3 does.
    if (preflight && !method) return;
    const detail = { Method: method.toUpperCase(), ResourceType: hasKey ? 'OBJECT' : 'BUCKET' };
    const config = bucket ? ((await store.getSubresource(bucket, undefined, 'cors')) as { rules: CorsRule[] } | null) : null;
    if (!config) throw new Refused(403, 'AccessForbidden', CORS_NOT_ENABLED, detail);
    const requested = preflight ? String(req.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean) : [];
    const allowed = config.rules.some(
      (rule) =>
        rule.allowedOrigins.some((o) => o.test(origin)) &&
        rule.allowedMethods.includes(method.toUpperCase()) &&
        requested.every((h) => rule.allowedHeaders.some((a) => a.test(h))),
    );
    if (!allowed) throw new Refused(403, 'AccessForbidden', CORS_NOT_ALLOWED, detail);
  }

  const proxy = http.createServer(httpServerOptions(limits), (req, res) => {
    const refusedHost = hostRefusal(req.headers.host, hosts);
    if (refusedHost) return void (req.resume(), s3Error(res, 403, 'AccessDenied', refusedHost));
    void handle(req, res).catch((e) => {
      // Nothing else is expected to throw; if it does, it must not take the process down.
      const refused = e instanceof Refused ? e : new Refused(400, 'InvalidURI', "Couldn't parse the specified URI.");
      req.resume();
      if (res.headersSent) res.destroy();
      else s3Error(res, refused.status, refused.code, refused.message, refused.detail);
    });
  });

  // A client that ends its side before sending the body it announced gets S3's IncompleteBody, not Node's bare 400
  // (other malformed requests get Node's default answers).
  proxy.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (socket.writable) {
      const incomplete = err.code === 'HPE_INVALID_EOF_STATE';
      const body = incomplete ? `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>IncompleteBody</Code><Message>${INCOMPLETE_BODY}</Message></Error>` : '';
      const status = incomplete ? '400 Bad Request' : (CLIENT_ERROR_STATUS[err.code ?? ''] ?? '400 Bad Request');
      socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\n${body ? `Content-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : ''}\r\n${body}`);
    }
    socket.destroy();
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const headers = { ...req.headers };
    const q = (req.url ?? '').indexOf('?');
    let search = q === -1 ? '' : (req.url ?? '').slice(q);
    const params = new URLSearchParams(search);
    const region = signingRegion(headers, params);
    delete headers.authorization;
    delete headers['x-amz-security-token'];
    const path = target(req, headers);
    headers.host ??= S3RVER_HOST; // s3rver's events hash it
    const [, bucketSegment = '', keySegment] = path.split('/');
    const bucket = decodeURIComponent(bucketSegment);
    await browserGate(req, bucket, keySegment !== undefined, params);
    // CreateBucket on a bucket that exists: every bucket here is the caller's, and S3 answers that 200 in
    // us-east-1 (legacy) and 409 BucketAlreadyOwnedByYou in every other region.
    if (req.method === 'PUT' && bucket && keySegment === undefined && [...params.keys()].every((k) => AUTH_QUERY.test(k)) && (await store.getBucket(bucket))) {
      req.resume();
      if (region !== 'us-east-1') throw new Refused(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: bucket });
      res.writeHead(200, { location: `/${bucket}`, 'content-length': 0 });
      return void res.end();
    }
    // s3rver reads a suffix range (`bytes=-N`: the last N bytes, RFC 9110 §14.1.1) as `bytes=0-N`: give it the
    // explicit range. A suffix of 0 bytes, or any suffix of an empty object, selects nothing: 416 InvalidRange.
    const suffix = keySegment !== undefined && (req.method === 'GET' || req.method === 'HEAD') ? /^bytes=-(\d+)$/.exec(String(headers.range ?? '')) : null;
    if (suffix) {
      const size = await objects.size(bucket, decodeURIComponent(path.slice(bucketSegment.length + 2)));
      if (size !== undefined) {
        const n = Number(suffix[1]);
        if (n === 0 || size === 0) throw new Refused(416, 'InvalidRange', 'The requested range is not satisfiable', { RangeRequested: String(headers.range), ActualObjectSize: String(size) });
        headers.range = `bytes=${Math.max(0, size - n)}-${size - 1}`;
      }
    }
    if ([...params.keys()].some((k) => AUTH_QUERY.test(k))) {
      for (const key of [...params.keys()]) if (AUTH_QUERY.test(key)) params.delete(key);
      search = params.size ? `?${params}` : '';
    }

    const encodings = String(headers['content-encoding'] ?? '').split(',').map((e) => e.trim()).filter(Boolean);
    const chunked = encodings.includes('aws-chunked') || String(headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
    const checksums = Object.fromEntries(Object.entries(headers).filter(([k]) => k.startsWith('x-amz-checksum-') && k !== 'x-amz-checksum-algorithm' && k !== 'x-amz-checksum-type')) as Record<string, string>;
    let decoder: AwsChunkedDecoder | undefined;
    if (chunked) {
      decoder = new AwsChunkedDecoder(checksums);
      const rest = encodings.filter((e) => e !== 'aws-chunked');
      if (rest.length) headers['content-encoding'] = rest.join(',');
      else delete headers['content-encoding'];
      if (headers['x-amz-decoded-content-length'] !== undefined) {
        decoder.expectLength(Number(headers['x-amz-decoded-content-length']));
        headers['content-length'] = String(headers['x-amz-decoded-content-length']);
        delete headers['transfer-encoding'];
      } else delete headers['content-length'];
      delete headers['x-amz-decoded-content-length'];
      delete headers['x-amz-trailer'];
      headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    }

    owed.set(req, { checksums, decoder });
    if (parsesXmlBody(req.method!, params)) {
      let body: Buffer;
      try {
        body = await readXmlBody(decoder ? pipeline(req, decoder, () => undefined) : req);
      } catch (e) {
        if (e instanceof Refused) throw e;
        throw e instanceof ChecksumMismatch ? new Refused(400, 'BadDigest', e.message) : new Refused(400, 'IncompleteBody', INCOMPLETE_BODY);
      }
      headers['content-length'] = String(body.length);
      delete headers['transfer-encoding'];
      return serveS3rver(requestOf(req, path + search, headers, Readable.from([body]), owed), res);
    }
    if (decoder) {
      const body = pipeline(req, decoder, () => undefined); // a failure reaches s3rver's read of the body (see `answering`)
      res.once('finish', () => body.resume()); // answered before its body was read: the rest is dropped
      return serveS3rver(requestOf(req, path + search, headers, body, owed), res);
    }
    req.url = path + search;
    req.headers = headers;
    serveS3rver(req, res);
  }

  limitConnections(proxy, limits);
  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(options.port, options.host, () => resolve());
  });
  const port = (proxy.address() as AddressInfo).port;
  return {
    endpoint: `http://${hostForUrl(options.host)}:${port}`,
    port,
    listingExamined: () => store.listingExamined,
    objects,
    clear: () => store.clear(),
    async close() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      s3rver.logger.close();
    },
  };
}
