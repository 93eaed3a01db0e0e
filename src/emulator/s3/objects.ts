// What the job engine needs from S3 (bucket check, list, size, read, upload), behind one interface with two
// implementations: the S3 API, for an external endpoint (`--s3-endpoint`), and the embedded S3's own store, reached
// in-process. The second skips the SDK's middleware and two HTTP hops per call (over HTTP they were most of a
// 100-record job's time in the harness); it writes through the same store code as a PUT (temp file, checks, rename),
// so an object the engine writes reads back over HTTP as if it had been PUT.
import type { S3Client } from '@aws-sdk/client-s3';
import { createInterface } from 'node:readline';
import { PassThrough, Readable } from 'node:stream';
import { WRITE_BUFFER_BYTES, type SafeFilesystemStore } from './store.js';

export interface S3Objects {
  bucketExists(bucket: string): Promise<boolean>;
  /** Every object under the prefix; throws an error named NoSuchBucket when the bucket does not exist. */
  list(bucket: string, prefix: string): AsyncIterable<{ key: string; size: number }>;
  /** The object's size; undefined when it does not exist. */
  size(bucket: string, key: string): Promise<number | undefined>;
  read(bucket: string, key: string): Promise<Readable>;
  /**
   * Stores the body as the object once it has ended, whole, or not at all: aborting `abort` before then (or a failed
   * write: the disk full, say) leaves no object and rejects. The body stays the caller's: a failure leaves it as it
   * is (the caller's writes then wait for a drain until it destroys it), as the SDK's Upload does.
   */
  upload(bucket: string, key: string, body: Readable | string, abort?: AbortController): Promise<void>;
}

/** What the engine's output objects are stored with (as the upload's Content-Type header). */
const CONTENT_TYPE = 'application/octet-stream';

/** `s3://bucket/key…` → parts; undefined when it is not one. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([a-z0-9][.\-a-z0-9]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!m) return undefined;
  const key = m[2] ?? '';
  if (key.split('/').some((s) => s === '..' || s === '.')) return undefined;
  return { bucket: m[1], key };
}

/**
 * The object's lines, streamed. The stream is released however the loop over them ends (a return or break midway
 * included), or its file handle or socket would stay open until garbage collection.
 */
export async function* readLines(s3: S3Objects, bucket: string, key: string): AsyncGenerator<string> {
  const input = await s3.read(bucket, key);
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    yield* lines;
  } finally {
    lines.close();
    input.destroy();
  }
}

let sdkModule: Promise<typeof import('@aws-sdk/client-s3')> | undefined;
const loadSdk = () => (sdkModule ??= import('@aws-sdk/client-s3'));

/**
 * Over the S3 API at `endpoint`. The S3 SDK (~100 ms to load) is imported and the client made on first use, when a
 * job first needs S3, not at start-up.
 */
export function s3ApiObjects(endpoint: string): S3Objects {
  let client: Promise<S3Client> | undefined;
  const credentials = { accessKeyId: 'bedrock-emulator', secretAccessKey: 'bedrock-emulator' };
  const make = async () => new (await loadSdk()).S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials, maxAttempts: 3 });
  const ready = async () => ({ s3: await (client ??= make()), sdk: await loadSdk() });
  return {
    async bucketExists(bucket) {
      const { s3, sdk } = await ready();
      return s3.send(new sdk.HeadBucketCommand({ Bucket: bucket })).then(() => true, () => false);
    },
    async *list(bucket, prefix) {
      const { s3, sdk } = await ready();
      let token: string | undefined;
      do {
        const page = await s3.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) yield { key: o.Key!, size: o.Size ?? 0 };
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
    async size(bucket, key) {
      const { s3, sdk } = await ready();
      try {
        return (await s3.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength ?? 0;
      } catch (e) {
        if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
        throw e;
      }
    },
    async read(bucket, key) {
      const { s3, sdk } = await ready();
      return (await s3.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }))).Body as Readable;
    },
    // Multipart for large bodies; memory stays bounded by the part size and queue. The object appears only once the
    // body has ended: a single PUT is sent, or the multipart upload completed, after its last byte. An abort aborts
    // the upload instead (no PUT, no CompleteMultipartUpload).
    async upload(bucket, key, body, abort) {
      const [{ Upload }, { s3 }] = await Promise.all([import('@aws-sdk/lib-storage'), ready()]);
      const params = { Bucket: bucket, Key: key, Body: body, ContentType: CONTENT_TYPE };
      await new Upload({ client: s3, params, queueSize: 2, partSize: 8 * 1024 * 1024, abortController: abort }).done();
    },
  };
}

/** An error as the SDK raises S3's: named by S3's error code, with its message. */
const s3Error = (code: string, message: string) => Object.assign(new Error(message), { name: code });
const noSuchBucket = () => s3Error('NoSuchBucket', 'The specified bucket does not exist');

/** The embedded S3's store, in this process: what the S3 API would answer, without the requests. */
export function embeddedObjects(store: SafeFilesystemStore): S3Objects {
  // A name S3 refuses is no bucket of ours (over HTTP: 400 InvalidBucketName).
  const exists = (bucket: string) => store.getBucket(bucket).then(Boolean, () => false);
  return {
    bucketExists: exists,
    async *list(bucket, prefix) {
      if (!(await exists(bucket))) throw noSuchBucket();
      for (const o of (await store.listObjects(bucket, { prefix })).objects) yield { key: o.key, size: o.size };
    },
    async size(bucket, key) {
      if (!(await exists(bucket))) return undefined;
      // From the bucket's key index (which knows every object written since start, without opening its file): a key
      // is listed first among the keys it is a prefix of.
      const [first] = (await store.listObjects(bucket, { prefix: key, maxKeys: 1 })).objects;
      return first?.key === key ? first.size : undefined;
    },
    async read(bucket, key) {
      const object = (await store.getObject(bucket, key)) as { content: Readable } | null;
      if (object) return object.content;
      throw (await exists(bucket)) ? s3Error('NoSuchKey', 'The specified key does not exist.') : noSuchBucket();
    },
    async upload(bucket, key, body, abort) {
      // Piped, not handed over: the store's pipeline destroys its source when the write fails, and a writer waiting
      // for the caller's body to drain would wait for ever on a body already closed.
      const content = typeof body === 'string' ? Readable.from([Buffer.from(body)]) : body.pipe(new PassThrough({ highWaterMark: WRITE_BUFFER_BYTES }));
      // The store writes a temporary file and renames it into place once the body has ended: destroyed before then,
      // the write fails and the temporary file goes.
      const onAbort = () => content.destroy(Object.assign(new Error('Upload aborted.'), { name: 'AbortError' }));
      if (abort?.signal.aborted) onAbort();
      abort?.signal.addEventListener('abort', onAbort, { once: true });
      try {
        if (!(await exists(bucket))) throw noSuchBucket();
        await store.putObject({ bucket, key, content, metadata: { 'content-type': CONTENT_TYPE } });
      } finally {
        abort?.signal.removeEventListener('abort', onAbort);
      }
    },
  };
}
