// The embedded S3: s3rver on an internal loopback port, behind a small proxy on the public port that decodes
// aws-chunked uploads (s3rver 3.x would store the framing as data), verifies checksums and echoes them as S3
// does, and drops SigV4 credentials (s3rver only knows its own key; the emulator's S3 is open on loopback).
// The proxy is also where a request's bucket and key are read, once (`target`): s3rver then gets them exactly,
// and its file store (./store.ts) keeps every name a plain file under the data dir.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { pipeline } from 'node:stream';
import { createRequire } from 'node:module';
import { DEFAULT_CONFIG } from '../config.js';
import { hostRefusal, httpServerOptions, limitConnections, type ConnectionLimits, type HostPolicy } from '../network.js';
import { AwsChunkedDecoder, ChecksumMismatch } from './aws-chunked.js';
import { patchS3rver } from './patches.js';
import { isValidBucketName, MAX_KEY_BYTES, SafeFilesystemStore } from './store.js';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');

export interface S3ServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  silent?: boolean;
  /** Timeouts and connection cap of the public port (see ../network.ts); DEFAULT_CONFIG's without it. */
  limits?: ConnectionLimits;
  /** Which Host names the public port serves; loopback names only without it (unless `host` is not loopback). */
  hosts?: HostPolicy;
}

export interface S3Server {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

const AUTH_QUERY = /^X-Amz-(Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Security-Token)$/i;

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const xml = (s: string) => s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);

function s3Error(res: http.ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message></Error>`);
}

class Refused extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

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
    delete headers.host; // s3rver must not apply the virtual host a second time
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

export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const { limits = DEFAULT_CONFIG, hosts = { bindHost: options.host, allowedHosts: [] } } = options;
  mkdirSync(options.dataDir, { recursive: true });
  // vhostBuckets off: a Host such as `emulator:4581` names the server, not a bucket (the proxy maps *.amazonaws.com).
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: options.silent ?? true, directory: options.dataDir, allowMismatchedSignatures: true, vhostBuckets: false });
  s3rver.store = s3rver.context.store = new SafeFilesystemStore(options.dataDir);
  patchS3rver(s3rver);
  const inner: AddressInfo = await s3rver.run();
  const agent = new http.Agent({ keepAlive: true });

  const proxy = http.createServer(httpServerOptions(limits), (req, res) => {
    const refused = hostRefusal(req.headers.host, hosts);
    if (refused) return void (req.resume(), s3Error(res, 403, 'AccessDenied', refused));
    const headers = { ...req.headers };
    delete headers.authorization;
    delete headers['x-amz-security-token'];
    let path: string;
    try {
      path = target(req, headers);
    } catch (e) {
      // Nothing else is expected to throw; if it does, it must not take the process down.
      const refused = e instanceof Refused ? e : new Refused(400, 'InvalidURI', "Couldn't parse the specified URI.");
      req.resume();
      return s3Error(res, refused.status, refused.code, refused.message);
    }
    const q = (req.url ?? '').indexOf('?');
    let search = q === -1 ? '' : (req.url ?? '').slice(q);
    const params = new URLSearchParams(search);
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
        headers['content-length'] = String(headers['x-amz-decoded-content-length']);
        delete headers['transfer-encoding'];
      } else delete headers['content-length'];
      delete headers['x-amz-decoded-content-length'];
      delete headers['x-amz-trailer'];
      headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    }

    const upstream = http.request(
      { host: '127.0.0.1', port: inner.port, method: req.method, path: path + search, headers, agent },
      (up) => {
        // s3rver's router answers a method it has no route for (DELETE /, POST /bucket/key, …) with a plain
        // "Not Found"; S3 answers an XML MethodNotAllowed.
        if (up.statusCode === 404 && req.method !== 'HEAD' && String(up.headers['content-type']).startsWith('text/plain')) {
          up.resume();
          return s3Error(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
        }
        const out = { ...up.headers };
        if (up.statusCode && up.statusCode < 300 && (req.method === 'PUT' || req.method === 'POST')) {
          Object.assign(out, checksums, decoder?.trailers && Object.fromEntries(Object.entries(decoder.trailers).filter(([k]) => k.startsWith('x-amz-checksum-'))));
        }
        res.writeHead(up.statusCode ?? 502, out);
        up.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      if (e instanceof ChecksumMismatch) return;
      if (!res.headersSent) s3Error(res, 400, 'IncompleteBody', e.message);
      else res.destroy();
    });
    if (!decoder) return void req.pipe(upstream);
    pipeline(req, decoder, upstream, (err) => {
      if (!err) return;
      upstream.destroy();
      if (res.headersSent) return void res.destroy();
      if (err instanceof ChecksumMismatch) s3Error(res, 400, 'BadDigest', err.message);
      else s3Error(res, 400, 'IncompleteBody', err.message);
    });
  });

  limitConnections(proxy, limits);
  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(options.port, options.host, () => resolve());
  });
  const port = (proxy.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    async close() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      agent.destroy();
      await s3rver.close();
    },
  };
}
