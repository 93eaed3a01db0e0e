// s3rver's file store with a safe key → path mapping. s3rver joins the bucket name and the key's `/`-separated
// segments straight onto its directory, so a key such as `../../x` (which S3 accepts as a plain name) wrote
// outside the data dir, an empty segment (`a//b`) collided with `a/b`, and a segment over the file-name limit
// crashed the process. Every name reaches the disk through `components()` here, which keeps each one a plain,
// short file name under the bucket's directory and maps it back exactly when listing.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fsp, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const require = createRequire(import.meta.url);
const FilesystemStore = require('s3rver/lib/stores/filesystem') as new (root: string) => BaseStore;
const S3Error = require('s3rver/lib/models/error') as new (code: string, message: string, detail?: Record<string, unknown>) => Error;
const S3Object = require('s3rver/lib/models/object') as new (bucket: string, key: string, content: unknown, metadata: Record<string, unknown>) => unknown;

interface BaseStore {
  rootDirectory: string;
  getMetadata(bucket: string, key: string): Promise<Record<string, unknown>>;
  putMetadata(bucket: string, key: string, metadata: Record<string, unknown>, md5?: string): Promise<void>;
  getBucket(bucket: string): Promise<unknown>;
}

/** S3's bucket naming rules (general purpose buckets). */
export function isValidBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name);
}

/** AWS's limit on a key: 1,024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

const MARK = '._S3rver_';
/** Room for s3rver's longest suffix (`._S3rver_metadata.json`) within a 255-byte file name. */
const MAX_COMPONENT_BYTES = 200;

/**
 * A key as path components under the bucket's directory. Within a segment `%`, NUL, s3rver's own marker and
 * trailing dots are escaped (so no component is `.`, `..` or one of s3rver's files); an empty segment is `%`;
 * a segment longer than a file name may be is cut into pieces, each but the last ending in `%`. The last
 * component is the object's name (empty for a key ending in `/`, as s3rver stores it).
 */
export function keyToComponents(key: string): string[] {
  const segments = key.split('/');
  const out: string[] = [];
  segments.forEach((segment, i) => {
    if (segment === '') return void out.push(i === segments.length - 1 ? '' : '%');
    const escaped = segment
      .replace(/%/g, '%25')
      .replace(/\0/g, '%00')
      .replaceAll(MARK, '%2E' + MARK.slice(1))
      .replace(/\.+$/, (dots) => '%2E'.repeat(dots.length));
    const pieces = cut(escaped);
    pieces.forEach((piece, j) => out.push(j < pieces.length - 1 ? `${piece}%` : piece));
  });
  return out;
}

/** The inverse of keyToComponents. */
export function componentsToKey(components: string[]): string {
  let key = '';
  components.forEach((c, i) => {
    if (i === components.length - 1) key += unescape(c);
    else if (c === '%') key += '/';
    else if (c.endsWith('%')) key += unescape(c.slice(0, -1));
    else key += `${unescape(c)}/`;
  });
  return key;
}

const UNESCAPE: Record<string, string> = { '%25': '%', '%00': '\0', '%2E': '.' };
const unescape = (s: string) => s.replace(/%(25|00|2E)/g, (m) => UNESCAPE[m]);

/** Cuts an escaped segment into pieces of at most MAX_COMPONENT_BYTES, never inside an escape or a character. */
function cut(s: string): string[] {
  if (Buffer.byteLength(s) <= MAX_COMPONENT_BYTES) return [s];
  const pieces: string[] = [];
  let piece = '';
  let bytes = 0;
  for (let i = 0; i < s.length; ) {
    const token = s[i] === '%' ? s.slice(i, i + 3) : String.fromCodePoint(s.codePointAt(i)!);
    const size = Buffer.byteLength(token);
    if (bytes + size > MAX_COMPONENT_BYTES) {
      pieces.push(piece);
      piece = '';
      bytes = 0;
    }
    piece += token;
    bytes += size;
    i += token.length;
  }
  pieces.push(piece);
  return pieces;
}

const error = (code: string, message: string, detail?: Record<string, unknown>) => new S3Error(code, message, detail);

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Writes a body (buffer or stream) to a file; resolves with its size and MD5 once the file is complete. */
async function writeHashed(content: Buffer | Readable, file: string): Promise<[number, string]> {
  const md5 = createHash('md5');
  let size = 0;
  const source = Buffer.isBuffer(content) ? Readable.from([content]) : content;
  await pipeline(
    source,
    new Transform({
      transform(chunk: Buffer, _enc, callback) {
        md5.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    }),
    createWriteStream(file),
  );
  return [size, md5.digest('hex')];
}

export class SafeFilesystemStore extends (FilesystemStore as unknown as new (root: string) => BaseStore) {
  getBucketPath(bucket: string): string {
    if (!isValidBucketName(bucket)) throw error('InvalidBucketName', 'The specified bucket is not valid.', { BucketName: bucket });
    return path.join(this.rootDirectory, bucket);
  }

  getResourcePath(bucket: string, key = '', resource: string): string {
    if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw error('KeyTooLongError', 'Your key is too long');
    const components = keyToComponents(key);
    const name = components.pop()!;
    const file = path.join(this.getBucketPath(bucket), ...components, `${name}${MARK}${resource}`);
    // Escaping can triple a key's length; stay under PATH_MAX whatever the data dir.
    if (Buffer.byteLength(file) > 4000) throw error('KeyTooLongError', 'Your key is too long');
    return file;
  }

  async listBuckets(): Promise<unknown[]> {
    const names = (await fsp.readdir(this.rootDirectory)).filter(isValidBucketName);
    return (await Promise.all(names.map((name) => this.getBucket(name)))).filter(Boolean);
  }

  /** Every key under the prefix, in S3's order (UTF-8 bytes); keys only count towards maxKeys, as in s3rver. */
  async listObjects(bucket: string, options: { delimiter?: string; startAfter?: string; prefix?: string; maxKeys?: number }) {
    const { delimiter = '', startAfter = '', prefix = '', maxKeys = Infinity } = options;
    const bucketPath = this.getBucketPath(bucket);
    const objectSuffix = `${MARK}object`;
    const found: string[] = [];
    const walk = (dir: string, components: string[]) => {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return;
      }
      for (const name of names) {
        if (components.length === 0 && name === `${MARK}uploads`) continue;
        const full = path.join(dir, name);
        let isDir: boolean;
        try {
          isDir = statSync(full).isDirectory();
        } catch {
          continue;
        }
        if (isDir) {
          const below = componentsToKey([...components, name, '']);
          if (below.startsWith(prefix) || prefix.startsWith(below)) walk(full, [...components, name]);
        } else if (name.endsWith(objectSuffix)) {
          found.push(componentsToKey([...components, name.slice(0, -objectSuffix.length)]));
        }
      }
    };
    walk(bucketPath, []);
    const sorted = found.filter((key) => key.startsWith(prefix) && byteOrder(key, startAfter) > 0).sort(byteOrder);
    const commonPrefixes = new Set<string>();
    const keys: string[] = [];
    let isTruncated = false;
    for (const key of sorted) {
      if (delimiter) {
        const idx = key.indexOf(delimiter, prefix.length);
        if (idx !== -1) {
          commonPrefixes.add(key.slice(0, idx + delimiter.length));
          continue;
        }
      }
      if (keys.length >= maxKeys) {
        isTruncated = true;
        break;
      }
      keys.push(key);
    }
    const metadata = await Promise.all(keys.map((key) => this.getMetadata(bucket, key).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)))));
    return {
      objects: keys.flatMap((key, i) => (metadata[i] ? [new S3Object(bucket, key, null, metadata[i]!)] : [])),
      commonPrefixes: [...commonPrefixes].sort(byteOrder),
      isTruncated,
    };
  }

  async putObject(object: { bucket: string; key: string; content: Buffer | Readable; metadata: Record<string, unknown> }) {
    const file = this.getResourcePath(object.bucket, object.key, 'object');
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const [size, md5] = await writeHashed(object.content, file);
    await this.putMetadata(object.bucket, object.key, object.metadata, md5);
    return { size, md5 };
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    const file = this.getResourcePath(bucket, key, 'object');
    await Promise.all(
      [file, `${file}.md5`, this.getResourcePath(bucket, key, 'metadata.json')].map((f) =>
        fsp.unlink(f).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e;
        }),
      ),
    );
    // Remove the directories the key left empty, up to (not including) the bucket's.
    const bucketPath = this.getBucketPath(bucket);
    for (let dir = path.dirname(file); dir.startsWith(bucketPath + path.sep); dir = path.dirname(dir)) {
      if ((await fsp.readdir(dir).catch(() => ['?'])).length) break;
      await fsp.rmdir(dir).catch(() => undefined);
    }
  }

  /** The directory of a multipart upload; s3rver's ids are 32 hex digits, anything else names no upload. */
  private uploadDir(bucket: string, uploadId: unknown): string {
    if (typeof uploadId !== 'string' || !/^[0-9a-f]{32}$/.test(uploadId)) {
      throw error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: String(uploadId) });
    }
    return path.join(this.getResourcePath(bucket, undefined, 'uploads'), uploadId);
  }

  async initiateUpload(bucket: string, key: string, uploadId: string, metadata: unknown): Promise<void> {
    this.getResourcePath(bucket, key, 'object'); // the key's own checks, before anything is written
    const dir = this.uploadDir(bucket, uploadId);
    await fsp.mkdir(dir, { recursive: true });
    await Promise.all([fsp.writeFile(path.join(dir, 'key'), key), fsp.writeFile(path.join(dir, 'metadata'), JSON.stringify(metadata))]);
  }

  async putPart(bucket: string, uploadId: string, partNumber: unknown, content: Readable) {
    const dir = this.uploadDir(bucket, uploadId);
    const n = Number(partNumber);
    if (typeof partNumber !== 'string' || !/^\d+$/.test(partNumber) || n < 1 || n > 10_000) {
      throw error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: String(partNumber) });
    }
    await fsp.access(path.join(dir, 'key')).catch(() => {
      throw this.uploadDirMissing(uploadId);
    });
    const file = path.join(dir, String(n));
    const [size, md5] = await writeHashed(content, file);
    await fsp.writeFile(`${file}.md5`, md5);
    return { size, md5 };
  }

  async putObjectMultipart(bucket: string, uploadId: string, parts: { number: number }[]) {
    const dir = this.uploadDir(bucket, uploadId);
    const [key, metadata] = await Promise.all([
      fsp.readFile(path.join(dir, 'key'), 'utf8'),
      fsp.readFile(path.join(dir, 'metadata'), 'utf8').then(JSON.parse),
    ]).catch(() => {
      throw this.uploadDirMissing(uploadId);
    });
    const files = [...parts].sort((a, b) => a.number - b.number).map((p) => (Number.isInteger(p.number) && p.number >= 1 && p.number <= 10_000 ? path.join(dir, String(p.number)) : ''));
    for (const file of files) {
      if (!file || !(await fsp.stat(file).then((s) => s.isFile(), () => false))) throw error('InvalidPart', 'One or more of the specified parts could not be found. The part may not have been uploaded.');
    }
    const content = Readable.from(
      (async function* () {
        for (const file of files) yield* createReadStream(file);
      })(),
    );
    const result = await this.putObject({ bucket, key, content, metadata });
    await fsp.rm(dir, { recursive: true, force: true });
    return result;
  }

  private uploadDirMissing(uploadId: string) {
    return error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: uploadId });
  }
}
