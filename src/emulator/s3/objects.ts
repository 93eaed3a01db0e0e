// What the job engine needs from S3, over the S3 API: parse s3:// URIs, list, stream objects, upload streams.
// The S3 SDK (~100 ms to load) is imported on first use, when a job first needs S3, not at start-up.
import type { S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';

let sdkModule: Promise<typeof import('@aws-sdk/client-s3')> | undefined;
const sdk = () => (sdkModule ??= import('@aws-sdk/client-s3'));

/** A client made on first call and shared afterwards; the SDK loads then. */
export function lazyS3Client(endpoint: string): () => Promise<S3Client> {
  let client: Promise<S3Client> | undefined;
  return () => (client ??= createS3Client(endpoint));
}

export async function createS3Client(endpoint: string): Promise<S3Client> {
  const { S3Client } = await sdk();
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'bedrock-emulator', secretAccessKey: 'bedrock-emulator' },
    maxAttempts: 3,
  });
}

/** `s3://bucket/key…` → parts; undefined when it is not one. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([a-z0-9][.\-a-z0-9]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!m) return undefined;
  const key = m[2] ?? '';
  if (key.split('/').some((s) => s === '..' || s === '.')) return undefined;
  return { bucket: m[1], key };
}

export async function bucketExists(client: S3Client, bucket: string): Promise<boolean> {
  const { HeadBucketCommand } = await sdk();
  return client.send(new HeadBucketCommand({ Bucket: bucket })).then(() => true, () => false);
}

export async function* listObjects(client: S3Client, bucket: string, prefix: string): AsyncGenerator<{ key: string; size: number }> {
  const { ListObjectsV2Command } = await sdk();
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) yield { key: o.Key!, size: o.Size ?? 0 };
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

export async function objectSize(client: S3Client, bucket: string, key: string): Promise<number | undefined> {
  const { HeadObjectCommand } = await sdk();
  try {
    return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength ?? 0;
  } catch (e) {
    if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw e;
  }
}

export async function getObjectStream(client: S3Client, bucket: string, key: string): Promise<Readable> {
  const { GetObjectCommand } = await sdk();
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body as Readable;
}

/**
 * Multipart for large bodies; memory stays bounded by the part size and queue. The object appears only once the
 * body has ended: a single PUT is sent, or the multipart upload completed, after its last byte. Aborting `abort`
 * instead aborts the upload (no PUT, no CompleteMultipartUpload), so no partial object is left behind.
 */
export async function uploadStream(client: S3Client, bucket: string, key: string, body: Readable | string | Uint8Array, abort?: AbortController): Promise<void> {
  const { Upload } = await import('@aws-sdk/lib-storage');
  await new Upload({ client, params: { Bucket: bucket, Key: key, Body: body, ContentType: 'application/octet-stream' }, queueSize: 2, partSize: 8 * 1024 * 1024, abortController: abort }).done();
}
