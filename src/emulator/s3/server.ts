// The embedded S3: s3rver on an internal loopback port, behind a small proxy on the public port that decodes
// aws-chunked uploads (s3rver 3.x would store the framing as data), verifies checksums and echoes them as S3
// does, and drops SigV4 credentials (s3rver only knows its own key; the emulator's S3 is open on loopback).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { pipeline } from 'node:stream';
import { createRequire } from 'node:module';
import { AwsChunkedDecoder, ChecksumMismatch } from './aws-chunked.js';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');

export interface S3ServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  silent?: boolean;
}

export interface S3Server {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

const AUTH_QUERY = /^X-Amz-(Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Security-Token)$/i;

function s3Error(res: http.ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  mkdirSync(options.dataDir, { recursive: true });
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: options.silent ?? true, directory: options.dataDir, allowMismatchedSignatures: true });
  const inner: AddressInfo = await s3rver.run();
  const agent = new http.Agent({ keepAlive: true });

  const proxy = http.createServer((req, res) => {
    const headers = { ...req.headers };
    delete headers.authorization;
    delete headers['x-amz-security-token'];
    const url = new URL(req.url ?? '/', 'http://s3');
    for (const key of [...url.searchParams.keys()]) if (AUTH_QUERY.test(key)) url.searchParams.delete(key);

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
      { host: '127.0.0.1', port: inner.port, method: req.method, path: url.pathname + url.search, headers, agent },
      (up) => {
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
