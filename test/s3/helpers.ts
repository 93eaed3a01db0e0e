// What the embedded S3's tests share: a request sent exactly as written (no SDK to fix it up), and an S3 client.
import { S3Client } from '@aws-sdk/client-s3';
import http from 'node:http';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request as written, answered with its status, headers and body text. */
export function rawRequest(endpoint: string, method: string, path: string, headers: http.OutgoingHttpHeaders = {}, body: string | Buffer = ''): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: new URL(endpoint).port, method, path, headers: { 'content-length': Buffer.byteLength(body), ...headers } }, (r) => {
      let text = '';
      r.on('data', (d) => (text += d));
      r.on('end', () => resolve({ status: r.statusCode!, headers: r.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The newest SDK on its default settings (checksums WHEN_SUPPORTED, aws-chunked for streams). */
export function s3Client(endpoint: string, region = 'us-east-1'): S3Client {
  return new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}
