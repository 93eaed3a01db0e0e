// Fixes to s3rver 3.7's request handlers, as koa middleware placed just before its router:
// - Listings (V1 and V2) are answered here from the store's key index, a page at a time. s3rver made V2
//   continuation tokens with DES, which OpenSSL 3 (Node ≥ 17) no longer offers, so any truncated ListObjectsV2
//   answered 500 InternalError (a job input folder of more than 1,000 objects); here tokens are plain. s3rver also
//   left common prefixes out of max-keys and gave a key as NextMarker after a page ending in a common prefix.
// - CompleteMultipartUpload with a part lacking an ETag (or a numeric one) threw a TypeError: MalformedXML, as S3.
// - Listings are written to XML here too: s3rver's serializer took ~0.3 s for a page of 1,000 keys.
// And one that s3rver leaves out: `encoding-type=url` on listings (V1 and V2), which boto3 and the AWS CLI send on
// every listing; s3rver ignored it, so a key with characters XML 1.0 cannot carry broke their parsers.
import { createRequire } from 'node:module';
import type { Listed } from './store.js';

const require = createRequire(import.meta.url);
const S3Error = require('s3rver/lib/models/error') as new (code: string, message: string, detail?: Record<string, unknown>) => Error;
const { METHODS: BUCKET_SUBRESOURCES } = require('s3rver/lib/controllers/bucket') as { METHODS: string[] };
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account') as { DUMMY_ACCOUNT: { id: string; displayName: string } };

interface Ctx {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  body: unknown;
  status?: number;
  type?: string;
  store: {
    getBucket(bucket: string): Promise<unknown>;
    listObjects(bucket: string, options: object): Promise<{ objects: Listed[]; commonPrefixes: string[]; isTruncated: boolean; last?: string }>;
  };
}
type Middleware = (ctx: Ctx, next: () => Promise<void>) => Promise<void>;

const TOKEN_PREFIX = 'bbe1:';
const badToken = () => new S3Error('InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The bucket a GET or HEAD lists objects of (ListObjects V1 or V2): no other bucket subresource. */
function listedBucket(ctx: Ctx): string | undefined {
  const match = /^\/([^/]+)\/?$/.exec(ctx.path);
  if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !match || BUCKET_SUBRESOURCES.some((m) => m in ctx.query)) return undefined;
  return decodeURIComponent(match[1]);
}

/**
 * GET /bucket (without another subresource): ListObjects V1 and V2 as s3rver answers them, but a page at a time
 * from the store's key index, common prefixes counting towards max-keys as on S3, and plain V2 tokens.
 */
const listObjects: Middleware = async (ctx, next) => {
  const bucket = listedBucket(ctx);
  if (bucket === undefined) return next();
  if (!(await ctx.store.getBucket(bucket))) throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
  // HEAD on a bucket is HeadBucket (which takes no encoding-type): the bucket exists, nothing is listed.
  if (ctx.method === 'HEAD') return void (ctx.status = 200);
  const encodingType = one(ctx.query['encoding-type']);
  if ('encoding-type' in ctx.query && encodingType !== 'url') {
    throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type', ArgumentValue: encodingType ?? '' });
  }
  const v2 = one(ctx.query['list-type']) === '2';
  const q = (name: string) => one(ctx.query[name]);
  if (v2 && 'marker' in ctx.query) throw new S3Error('InvalidArgument', 'Marker unsupported with REST.GET.BUCKET in list-type=2', { ArgumentName: 'marker' });
  if (!v2 && 'continuation-token' in ctx.query) {
    throw new S3Error('InvalidArgument', 'continuation-token only supported in REST.GET.BUCKET with list-type=2', { ArgumentName: 'continuation-token' });
  }
  if (!v2 && 'start-after' in ctx.query) throw new S3Error('InvalidArgument', 'startAfter only supported in REST.GET.BUCKET with list-type=2', { ArgumentName: 'start-after' });
  let maxKeys = 1000;
  const rawMax = q('max-keys');
  if (rawMax) {
    if (!/^-?\d+$/.test(rawMax)) throw new S3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', { ArgumentName: 'max-keys', ArgumentValue: rawMax });
    const n = Number(rawMax);
    if (n < 0 || n > 2147483647) throw new S3Error('InvalidArgument', 'Argument maxKeys must be an integer between 0 and 2147483647', { ArgumentName: 'maxKeys', ArgumentValue: n });
    maxKeys = Math.min(1000, n);
  }
  const token = v2 ? q('continuation-token') : undefined;
  let startAfter = v2 ? q('start-after') : q('marker');
  if (token) {
    // The token is the bucket and the last entry of the previous page, base64; anything else is refused.
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    if (!decoded.startsWith(TOKEN_PREFIX)) throw badToken();
    let parsed: unknown;
    try {
      parsed = JSON.parse(decoded.slice(TOKEN_PREFIX.length));
    } catch {
      throw badToken();
    }
    if (!Array.isArray(parsed) || parsed[0] !== bucket || typeof parsed[1] !== 'string') throw badToken();
    startAfter = parsed[1];
  }
  const prefix = q('prefix') || undefined;
  const delimiter = q('delimiter') || undefined;
  const result = maxKeys === 0 ? { objects: [], commonPrefixes: [], isTruncated: false, last: undefined } : await ctx.store.listObjects(bucket, { delimiter, prefix, startAfter, maxKeys });
  const resumeAfter = result.isTruncated ? result.last : undefined;
  const fetchOwner = !v2 || q('fetch-owner') === 'true';
  const listing = {
    '@': { xmlns: 'http://doc.s3.amazonaws.com/2006-03-01/' },
    Name: bucket,
    Prefix: prefix ?? '',
    ...(v2
      ? {
          StartAfter: token ? undefined : startAfter,
          ContinuationToken: token || undefined,
          NextContinuationToken: resumeAfter === undefined ? undefined : Buffer.from(TOKEN_PREFIX + JSON.stringify([bucket, resumeAfter])).toString('base64'),
          KeyCount: result.objects.length + result.commonPrefixes.length,
        }
      : // S3 gives NextMarker only to a listing with a delimiter; without one the last key is the next marker.
        { Marker: startAfter ?? '', NextMarker: delimiter ? resumeAfter : undefined }),
    MaxKeys: rawMax || 1000,
    Delimiter: delimiter,
    IsTruncated: result.isTruncated,
    Contents: result.objects.map((o) => ({
      Key: o.key,
      LastModified: o.lastModified.toISOString(),
      ETag: o.etag,
      Size: o.size,
      Owner: fetchOwner ? { ID: DUMMY_ACCOUNT.id, DisplayName: DUMMY_ACCOUNT.displayName } : undefined,
      StorageClass: 'STANDARD',
    })),
    CommonPrefixes: result.commonPrefixes.map((p) => ({ Prefix: p })),
  };
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n${toXml('ListBucketResult', encodingType ? urlEncoded(listing) : listing)}`;
};

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);

/** A plain object as XML: arrays repeat their element, undefined members are left out, '@' holds attributes. */
function toXml(name: string, value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (value === null || typeof value !== 'object') return `<${name}>${escapeXml(String(value))}</${name}>`;
  const { '@': attributes, ...children } = value as Record<string, unknown>;
  const attrs = Object.entries((attributes ?? {}) as Record<string, unknown>).map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`).join('');
  return `<${name}${attrs}>${Object.entries(children).map(([k, v]) => toXml(k, v)).join('')}</${name}>`;
}

const completeMultipartUpload: Middleware = async (ctx, next) => {
  try {
    await next();
  } catch (e) {
    if (e instanceof TypeError && ctx.method === 'POST' && 'uploadId' in ctx.query) {
      throw new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
    }
    throw e;
  }
};

// S3's url encoding of names in listings: UTF-8 bytes percent-encoded (upper-case hex) but for RFC 3986's unreserved
// characters and '/'. So 'quux ab/' is 'quux%20ab/' and 'asdf+b' is 'asdf%2Bb' (the s3-tests suite's expectations,
// which pass on AWS), and 'test_file(3).png' is 'test_file%283%29.png' (S3's API reference).
const KEPT = /^[A-Za-z0-9\-._~/]$/;
const urlEncode = (name: string) =>
  Array.from(Buffer.from(name, 'utf8'), (b) => (KEPT.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
/** The members of a ListBucketResult that name keys; continuation tokens stay as they are. */
const ENCODED = new Set(['Prefix', 'Delimiter', 'Marker', 'NextMarker', 'StartAfter']);

/** A listing with `encoding-type=url`: its names encoded, and EncodingType where S3 puts it (after Delimiter). */
function urlEncoded(result: Record<string, unknown>): Record<string, unknown> {
  const encoded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(result)) {
    if (name === 'IsTruncated') encoded.EncodingType = 'url';
    if (typeof value === 'string' && ENCODED.has(name)) encoded[name] = urlEncode(value);
    else if (name === 'Contents') encoded[name] = (value as { Key: string }[]).map((o) => ({ ...o, Key: urlEncode(o.Key) }));
    else if (name === 'CommonPrefixes') encoded[name] = (value as { Prefix: string }[]).map((p) => ({ Prefix: urlEncode(p.Prefix) }));
    else encoded[name] = value;
  }
  return encoded;
}

/**
 * Puts the fixes in front of s3rver's router (its last middleware); call before taking its callback. Silent, it also
 * drops s3rver's request logger (koa-logger), which formats a line for every request even when nothing prints it.
 */
export function patchS3rver(s3rver: { middleware: ((...args: never[]) => unknown)[] }, { silent }: { silent: boolean }): void {
  if (silent) s3rver.middleware.splice(0, s3rver.middleware.length, ...s3rver.middleware.filter((m) => m.name !== 'logger'));
  s3rver.middleware.splice(s3rver.middleware.length - 1, 0, completeMultipartUpload, listObjects);
}
