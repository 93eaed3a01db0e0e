// The embedded S3's file store, in place of s3rver's own, for three reasons:
// - Safe names. s3rver joins the bucket name and the key's `/`-separated segments straight onto its directory, so a
//   key such as `../../x` (which S3 accepts as a plain name) wrote outside the data dir, an empty segment (`a//b`)
//   collided with `a/b`, and a segment over the file-name limit crashed the process. Every name reaches the disk
//   through `keyToComponents()` here, which keeps each one a plain, short file name under the bucket's directory
//   and maps it back exactly when listing.
// - Whole writes. s3rver wrote an object over its old file, then its ETag and metadata in two more files: an
//   interrupted upload left the old ETag on truncated bytes, or a half-written new key listed and readable. Here an
//   object is one file, its bytes followed by its metadata (ETag, size, date, headers; see `Entry`), written under
//   a temporary name, checked (length, Content-MD5, x-amz-checksum-*) and renamed into place: a reader sees the old
//   object or the new one, bytes and metadata together, whatever the writer's fate (kill -9 included).
// - Listing cost. s3rver walked the whole bucket for every page; here each bucket's keys are kept sorted in memory
//   (./key-index.ts), rebuilt from the files at start, so a page costs what it holds.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ChecksumMismatch, DIGESTS, INCOMPLETE_BODY } from './aws-chunked.js';
import { KeyIndex, type ListOptions } from './key-index.js';

const require = createRequire(import.meta.url);
const FilesystemStore = require('s3rver/lib/stores/filesystem') as new (root: string) => BaseStore;
const S3Error = require('s3rver/lib/models/error') as new (code: string, message: string, detail?: Record<string, unknown>) => Error;
const S3Object = require('s3rver/lib/models/object') as {
  new (bucket: string, key: string, content: unknown, metadata: Record<string, unknown>): { range?: unknown };
  ALLOWED_METADATA: string[];
};

interface BaseStore {
  rootDirectory: string;
  getBucket(bucket: string): Promise<unknown>;
  putBucket(bucket: string): Promise<unknown>;
  deleteBucket(bucket: string): Promise<void>;
  getSubresource(bucket: string, key: string | undefined, type: string): Promise<unknown>;
  deleteSubresource(bucket: string, key: string | undefined, type: string): Promise<void>;
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

/**
 * What an object write buffers between its source and its file. Each write to the file is a round trip through
 * libuv's thread pool (~0.1 ms): with the streams' default 16 KiB, a 100-record output file took ten of them.
 */
export const WRITE_BUFFER_BYTES = 1 << 20;

const error = (code: string, message: string, detail?: Record<string, unknown>) => new S3Error(code, message, detail);

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

/** An object's file is `<name>._S3rver_entry`: its bytes, then this as JSON, then the JSON's length (uint32 BE). */
interface Entry {
  md5: string;
  size: number;
  lastModified: string;
  /** The stored headers: S3Object.ALLOWED_METADATA and x-amz-meta-*. */
  metadata: Record<string, string>;
}
const ENTRY = 'entry';
const LENGTH_BYTES = 4;
/** What s3rver 3.x wrote (bytes, `.md5` and `metadata.json` beside it): converted to entries at start. */
const S3RVER_OBJECT = 'object';

/** s3rver's metadata of an entry (what its controllers read: headers, etag, last-modified, content-length). */
const metadataOf = (entry: Entry): Record<string, unknown> => ({
  ...entry.metadata,
  etag: JSON.stringify(entry.md5),
  'last-modified': new Date(entry.lastModified).toUTCString(),
  'content-length': entry.size,
});

const storedHeaders = (metadata: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(metadata).filter(([k, v]) => v !== undefined && (S3Object.ALLOWED_METADATA.includes(k) || k.startsWith('x-amz-meta-'))).map(([k, v]) => [k, String(v)]));

/**
 * Entries opened for their bytes, up to this size, are read whole in one read, instead of one each for the trailer,
 * the JSON and the bytes. Opened for their metadata alone (a listing, a HEAD), only the trailer and JSON are read.
 */
const SMALL_ENTRY_BYTES = 256 * 1024;

/** An entry opened for reading: a small one read whole (its file already closing), a larger one by its open file. */
type OpenedEntry = { entry: Entry } & ({ bytes: Buffer; handle?: undefined } | { handle: FileHandle; bytes?: undefined });

const notAnEntry = (file: string) => new Error(`${file}: not an object entry`);

async function openEntry(file: string, { forBytes }: { forBytes: boolean }): Promise<OpenedEntry> {
  const handle = await fsp.open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size < LENGTH_BYTES) throw notAnEntry(file);
    if (forBytes && size <= SMALL_ENTRY_BYTES) {
      const whole = Buffer.allocUnsafe(size);
      if ((await handle.read(whole, 0, size, 0)).bytesRead < size) throw notAnEntry(file);
      void handle.close().catch(() => undefined); // read: nothing waits on the close
      const jsonLength = whole.readUInt32BE(size - LENGTH_BYTES);
      if (jsonLength > size - LENGTH_BYTES) throw notAnEntry(file);
      const entry = parseEntry(whole.subarray(size - LENGTH_BYTES - jsonLength, size - LENGTH_BYTES), size - LENGTH_BYTES - jsonLength, file);
      return { entry, bytes: whole.subarray(0, entry.size) };
    }
    const tail = Buffer.alloc(LENGTH_BYTES);
    if ((await handle.read(tail, 0, LENGTH_BYTES, size - LENGTH_BYTES)).bytesRead < LENGTH_BYTES) throw notAnEntry(file);
    const json = Buffer.alloc(tail.readUInt32BE(0));
    await handle.read(json, 0, json.length, size - LENGTH_BYTES - json.length);
    return { entry: parseEntry(json, size - LENGTH_BYTES - json.length, file), handle };
  } catch (e) {
    await handle.close().catch(() => undefined); // closed already when a small entry's trailer is wrong
    throw e;
  }
}

/** An entry's JSON, checked against the number of bytes before it. */
function parseEntry(json: Buffer, dataBytes: number, file: string): Entry {
  let entry: Entry;
  try {
    entry = JSON.parse(json.toString('utf8')) as Entry;
  } catch {
    throw notAnEntry(file);
  }
  if (entry?.size !== dataBytes) throw notAnEntry(file);
  return entry;
}

const closeEntry = (opened: OpenedEntry): Promise<void> => opened.handle?.close() ?? Promise.resolve();

/** An entry's bytes from `start` to `end` (inclusive), from memory or from the open file, which it closes. */
function entryBytes(opened: OpenedEntry, start = 0, end = opened.entry.size - 1): Readable {
  if (opened.entry.size === 0 || end < start) {
    void closeEntry(opened);
    return Readable.from([]);
  }
  if (opened.bytes) return Readable.from([opened.bytes.subarray(start, end + 1)]);
  return opened.handle.createReadStream({ start, end });
}

/** The checks a request body passes before it is kept: its Content-MD5 and x-amz-checksum-* headers. */
function requestDigests(request: IncomingMessage) {
  const checks = Object.keys(DIGESTS)
    .filter((name) => typeof request.headers[name] === 'string')
    .map((name) => ({ name, expected: request.headers[name] as string, digest: DIGESTS[name]() }));
  const contentMd5 = request.headers['content-md5'];
  if (typeof contentMd5 === 'string' && Buffer.from(contentMd5, 'base64').length !== 16) throw error('InvalidDigest', 'The Content-MD5 you specified is not valid.');
  return { checks, contentMd5 };
}

/**
 * Writes an entry to a new temporary file and resolves with its name once the file is complete and checked. A
 * request body (UploadPart, PutObject) must have every byte its Content-Length announced (IncompleteBody) and
 * match its Content-MD5 and checksum headers (BadDigest); on any failure the temporary file is removed.
 */
async function writeEntry(temp: string, content: Buffer | Readable, metadata: Record<string, unknown>, lastModified = new Date()): Promise<Entry> {
  const request = content instanceof IncomingMessage ? content : undefined;
  const { checks, contentMd5 } = request ? requestDigests(request) : { checks: [], contentMd5: undefined };
  const md5 = createHash('md5');
  let size = 0;
  let entry: Entry | undefined;
  const framing = new Transform({
    highWaterMark: WRITE_BUFFER_BYTES,
    transform(chunk: Buffer, _enc, callback) {
      md5.update(chunk);
      for (const c of checks) c.digest.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      const digest = md5.digest();
      if (contentMd5 !== undefined && digest.toString('base64') !== contentMd5) return callback(error('BadDigest', 'The Content-MD5 you specified did not match what we received.'));
      const wrong = checks.find((c) => c.digest.base64() !== c.expected);
      if (wrong) return callback(error('BadDigest', new ChecksumMismatch(wrong.name.slice('x-amz-checksum-'.length).toUpperCase()).message));
      entry = { md5: digest.toString('hex'), size, lastModified: lastModified.toISOString(), metadata: storedHeaders(metadata) };
      const json = Buffer.from(JSON.stringify(entry));
      const length = Buffer.alloc(LENGTH_BYTES);
      length.writeUInt32BE(json.length);
      callback(null, Buffer.concat([json, length]));
    },
  });
  try {
    await pipeline(Buffer.isBuffer(content) ? Readable.from([content]) : content, framing, createWriteStream(temp, { flags: 'wx', highWaterMark: WRITE_BUFFER_BYTES }));
    return entry!;
  } catch (e) {
    await fsp.rm(temp, { force: true });
    // A body cut short (the client went away or sent fewer bytes than announced) is S3's IncompleteBody.
    if (request && !request.complete) throw error('IncompleteBody', INCOMPLETE_BODY);
    throw e;
  }
}

/** Removes the directories a recursive mkdir of `dir` made (`first`, the outermost, and those in it), if still empty. */
async function removeMade(dir: string, first: string | undefined): Promise<void> {
  if (!first) return;
  for (let d = dir; ; d = path.dirname(d)) {
    if (!(await fsp.rmdir(d).then(() => true, () => false)) || d === first) return;
  }
}

/** What a listing shows of an object, kept in the key index. */
export interface Listed {
  key: string;
  size: number;
  /** Quoted, as in headers and listings. */
  etag: string;
  lastModified: Date;
}
const listed = (key: string, entry: Entry): Listed => ({ key, size: entry.size, etag: JSON.stringify(entry.md5), lastModified: new Date(entry.lastModified) });

export class SafeFilesystemStore extends (FilesystemStore as unknown as new (root: string) => BaseStore) {
  private readonly indexes = new Map<string, Promise<KeyIndex<Listed>>>();
  /**
   * What every request would otherwise read from disk again: the buckets found, and each bucket's configurations
   * (s3rver's CORS and website middleware look for both on every request). This process alone writes the data dir
   * (its lock), so each entry changes only through the methods that drop it.
   */
  private readonly buckets = new Map<string, unknown>();
  private readonly bucketConfigs = new Map<string, Map<string, Promise<unknown>>>();
  /** Index entries examined by listings so far: what listing costs, for tests and benchmarks to read. */
  listingExamined = 0;

  private get tempDir() {
    return path.join(this.rootDirectory, `${MARK}tmp`);
  }

  /** Call once before serving: clears what interrupted writes left and indexes every bucket. */
  async open(): Promise<void> {
    await fsp.rm(this.tempDir, { recursive: true, force: true });
    await fsp.mkdir(this.tempDir, { recursive: true });
    const names = (await fsp.readdir(this.rootDirectory)).filter(isValidBucketName);
    await Promise.all(names.map((name) => this.index(name)));
  }

  /** Removes every bucket and object (the harness's reset), with their key indexes. */
  async clear(): Promise<void> {
    this.indexes.clear();
    this.buckets.clear();
    this.bucketConfigs.clear();
    for (const name of await fsp.readdir(this.rootDirectory)) await fsp.rm(path.join(this.rootDirectory, name), { recursive: true, force: true });
    await fsp.mkdir(this.tempDir, { recursive: true });
  }

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

  override async getBucket(bucket: string): Promise<unknown> {
    const known = this.buckets.get(bucket);
    if (known) return known;
    const found = await super.getBucket(bucket);
    if (found) this.buckets.set(bucket, found);
    return found;
  }

  /** A bucket's configuration (CORS, website, …) as s3rver reads it, once; an object's (its tags) from disk each time. */
  override getSubresource(bucket: string, key: string | undefined, type: string): Promise<unknown> {
    if (key !== undefined) return super.getSubresource(bucket, key, type);
    let configs = this.bucketConfigs.get(bucket);
    if (!configs) this.bucketConfigs.set(bucket, (configs = new Map()));
    let config = configs.get(type);
    if (!config) {
      config = super.getSubresource(bucket, key, type);
      configs.set(type, config);
      config.catch(() => configs.delete(type)); // a failed read is not remembered
    }
    return config;
  }

  override async deleteSubresource(bucket: string, key: string | undefined, type: string): Promise<void> {
    if (key === undefined) this.bucketConfigs.get(bucket)?.delete(type);
    await super.deleteSubresource(bucket, key, type);
    if (key === undefined) this.bucketConfigs.get(bucket)?.delete(type);
  }

  override async putBucket(bucket: string): Promise<unknown> {
    const created = await super.putBucket(bucket);
    await this.index(bucket);
    return created;
  }

  override async deleteBucket(bucket: string): Promise<void> {
    this.buckets.delete(bucket);
    await super.deleteBucket(bucket);
    this.indexes.delete(bucket);
    this.buckets.delete(bucket);
    this.bucketConfigs.delete(bucket);
  }

  /** The bucket's key index, built from its files on first use (at start for the buckets already there). */
  private index(bucket: string): Promise<KeyIndex<Listed>> {
    let index = this.indexes.get(bucket);
    if (!index) {
      index = this.readKeys(bucket).then((keys) => new KeyIndex<Listed>(keys));
      this.indexes.set(bucket, index);
    }
    return index;
  }

  private async readKeys(bucket: string): Promise<string[]> {
    const bucketPath = this.getBucketPath(bucket);
    const keys: string[] = [];
    const walk = async (dir: string, components: string[]): Promise<void> => {
      const entries = await fsp.readdir(dir, { withFileTypes: true }).catch((e) => (isMissing(e) ? [] : Promise.reject(e)));
      for (const dirent of entries) {
        const { name } = dirent;
        if (dirent.isDirectory()) {
          if (!(components.length === 0 && name === `${MARK}uploads`)) await walk(path.join(dir, name), [...components, name]);
        } else if (name.endsWith(`${MARK}${ENTRY}`)) {
          keys.push(componentsToKey([...components, name.slice(0, -`${MARK}${ENTRY}`.length)]));
        } else if (name.endsWith(`${MARK}${S3RVER_OBJECT}`)) {
          const base = path.join(dir, name.slice(0, -S3RVER_OBJECT.length));
          await this.convertS3rverObject(base);
          keys.push(componentsToKey([...components, name.slice(0, -`${MARK}${S3RVER_OBJECT}`.length)]));
        }
      }
    };
    await walk(bucketPath, []);
    return keys;
  }

  /** An object as s3rver 3.x stored it (`<base>object`, `.md5`, `<base>metadata.json`) made an entry. */
  private async convertS3rverObject(base: string): Promise<void> {
    const file = `${base}${S3RVER_OBJECT}`;
    const [metadata, { mtime }] = await Promise.all([
      fsp.readFile(`${base}metadata.json`, 'utf8').then(JSON.parse, () => ({})),
      fsp.stat(file),
    ]);
    const temp = this.tempFile();
    await writeEntry(temp, createReadStream(file), metadata, mtime);
    await fsp.rename(temp, `${base}${ENTRY}`);
    await Promise.all([file, `${file}.md5`, `${base}metadata.json`].map((f) => fsp.rm(f, { force: true })));
  }

  private tempFile(): string {
    return path.join(this.tempDir, randomBytes(12).toString('hex'));
  }

  /** Writes, checks and renames an entry into `file`; the only way object bytes reach their place. */
  private async commitEntry(file: string, content: Buffer | Readable, metadata: Record<string, unknown>): Promise<Entry> {
    const temp = this.tempFile();
    const dir = path.dirname(file);
    // The directory is made while the bytes are written: a new one (a job's output folder) costs no wait of its own.
    const made = fsp.mkdir(dir, { recursive: true }).catch(() => undefined); // the rename below tells what failed
    let entry: Entry;
    try {
      entry = await writeEntry(temp, content, metadata);
    } catch (e) {
      await removeMade(dir, await made);
      throw e;
    }
    await made;
    try {
      // A concurrent delete may remove the directory (empty) before the rename: make it again.
      for (let attempt = 0; ; attempt++) {
        try {
          await fsp.rename(temp, file);
          return entry;
        } catch (e) {
          if (!isMissing(e) || attempt === 3) throw e;
        }
        await fsp.mkdir(dir, { recursive: true });
      }
    } catch (e) {
      await fsp.rm(temp, { force: true });
      throw e;
    }
  }

  private async commitObject(bucket: string, key: string, content: Buffer | Readable, metadata: Record<string, unknown>): Promise<Entry> {
    const file = this.getResourcePath(bucket, key, ENTRY);
    const index = await this.index(bucket);
    const entry = await this.commitEntry(file, content, metadata);
    index.set(key, listed(key, entry));
    return entry;
  }

  async getMetadata(bucket: string, key: string): Promise<Record<string, unknown>> {
    const opened = await openEntry(this.getResourcePath(bucket, key, ENTRY), { forBytes: false });
    await closeEntry(opened);
    return metadataOf(opened.entry);
  }

  async existsObject(bucket: string, key: string): Promise<boolean> {
    return fsp.stat(this.getResourcePath(bucket, key, ENTRY)).then(() => true, (e) => (isMissing(e) ? false : Promise.reject(e)));
  }

  /** s3rver's getObject (same range rules) on an entry: bytes and metadata come from one open file. */
  async getObject(bucket: string, key: string, options?: { start?: number; end?: number }) {
    let opened;
    try {
      opened = await openEntry(this.getResourcePath(bucket, key, ENTRY), { forBytes: true });
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
    const { entry } = opened;
    const lastByte = Math.max(0, entry.size - 1);
    const range = { start: options?.start || 0, end: Math.min(options?.end || Infinity, lastByte) };
    const ranged = options !== undefined && (options.start !== undefined || Boolean(options.end));
    const satisfiable = range.start >= 0 && range.end >= range.start;
    if (!satisfiable) await closeEntry(opened);
    const object = new S3Object(bucket, key, satisfiable ? entryBytes(opened, range.start, range.end) : null, metadataOf(entry));
    if (ranged) object.range = range;
    return object;
  }

  /**
   * Every key under the prefix in S3's order (UTF-8 bytes), a page at a time from the bucket's key index; an
   * object's size, ETag and date are read from its file the first time it is listed, then kept in the index.
   */
  async listObjects(bucket: string, options: Partial<ListOptions>) {
    const index = await this.index(bucket);
    const page = index.list({ ...options, maxKeys: options.maxKeys ?? Infinity });
    this.listingExamined += page.examined;
    const objects = await Promise.all(
      page.keys.map(async (key) => {
        const known = index.get(key);
        if (known) return known;
        try {
          const opened = await openEntry(this.getResourcePath(bucket, key, ENTRY), { forBytes: false });
          await closeEntry(opened);
          index.fill(key, listed(key, opened.entry));
          return listed(key, opened.entry);
        } catch (e) {
          if (isMissing(e)) return undefined; // deleted since the page was made
          throw e;
        }
      }),
    );
    return {
      objects: objects.filter((o): o is Listed => o !== undefined),
      commonPrefixes: page.commonPrefixes,
      isTruncated: page.isTruncated,
      /** The page's last key or common prefix: what the next page starts after. */
      last: page.last,
    };
  }

  async putObject(object: { bucket: string; key: string; content: Buffer | Readable; metadata: Record<string, unknown> }) {
    const { size, md5 } = await this.commitObject(object.bucket, object.key, object.content, object.metadata);
    return { size, md5 };
  }

  async copyObject(srcBucket: string, srcKey: string, destBucket: string, destKey: string, replacementMetadata: Record<string, unknown> | null) {
    const source = await openEntry(this.getResourcePath(srcBucket, srcKey, ENTRY), { forBytes: true });
    return metadataOf(await this.commitObject(destBucket, destKey, entryBytes(source), replacementMetadata ?? source.entry.metadata));
  }

  async putSubresource(bucket: string, key: string | undefined, resource: { type: string; toXML(indent: number): string }): Promise<void> {
    const temp = this.tempFile();
    await fsp.writeFile(temp, resource.toXML(2));
    await fsp.rename(temp, this.getResourcePath(bucket, key, `${resource.type}.xml`));
    if (key === undefined) this.bucketConfigs.get(bucket)?.delete(resource.type);
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    const file = this.getResourcePath(bucket, key, ENTRY);
    const index = await this.index(bucket);
    await fsp.rm(file, { force: true });
    index.delete(key);
    // The object's tags go with it, as on S3.
    await fsp.rm(this.getResourcePath(bucket, key, 'tagging.xml'), { force: true });
    // Remove the directories the key left empty, up to (not including) the bucket's.
    const bucketPath = this.getBucketPath(bucket);
    for (let dir = path.dirname(file); dir.startsWith(bucketPath + path.sep); dir = path.dirname(dir)) {
      if ((await fsp.readdir(dir).catch(() => ['?'])).length) break;
      await fsp.rmdir(dir).catch(() => undefined);
    }
  }

  /** The directory of a multipart upload; s3rver's ids are 32 hex digits, anything else names no upload. */
  private uploadDir(bucket: string, uploadId: unknown): string {
    if (typeof uploadId !== 'string' || !/^[0-9a-f]{32}$/.test(uploadId)) throw noSuchUpload(String(uploadId));
    return path.join(this.getResourcePath(bucket, undefined, 'uploads'), uploadId);
  }

  async initiateUpload(bucket: string, key: string, uploadId: string, metadata: unknown): Promise<void> {
    this.getResourcePath(bucket, key, ENTRY); // the key's own checks, before anything is written
    const dir = this.uploadDir(bucket, uploadId);
    await fsp.mkdir(dir, { recursive: true });
    await Promise.all([fsp.writeFile(path.join(dir, 'key'), key), fsp.writeFile(path.join(dir, 'metadata'), JSON.stringify(metadata))]);
  }

  /** A part is an entry too: an interrupted UploadPart leaves the part uploaded before it (if any) in place. */
  async putPart(bucket: string, uploadId: string, partNumber: unknown, content: Readable) {
    const dir = this.uploadDir(bucket, uploadId);
    const n = Number(partNumber);
    if (typeof partNumber !== 'string' || !/^\d+$/.test(partNumber) || n < 1 || n > 10_000) {
      throw error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: String(partNumber) });
    }
    await fsp.access(path.join(dir, 'key')).catch(() => {
      throw noSuchUpload(uploadId);
    });
    const { size, md5 } = await this.commitEntry(path.join(dir, String(n)), content, {});
    return { size, md5 };
  }

  async putObjectMultipart(bucket: string, uploadId: string, parts: { number: number; etag: string }[]) {
    const dir = this.uploadDir(bucket, uploadId);
    const [key, metadata] = await Promise.all([
      fsp.readFile(path.join(dir, 'key'), 'utf8'),
      fsp.readFile(path.join(dir, 'metadata'), 'utf8').then(JSON.parse),
    ]).catch(() => {
      throw noSuchUpload(uploadId);
    });
    const invalidPart = () => error('InvalidPart', 'One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not have matched the part\'s entity tag.');
    const files = [...parts].sort((a, b) => a.number - b.number).map((p) => {
      if (!Number.isInteger(p.number) || p.number < 1 || p.number > 10_000) throw invalidPart();
      return { file: path.join(dir, String(p.number)), etag: p.etag };
    });
    for (const { file, etag } of files) {
      const part = await openEntry(file, { forBytes: false }).catch(() => {
        throw invalidPart();
      });
      await closeEntry(part);
      if (part.entry.md5 !== etag) throw invalidPart();
    }
    const content = Readable.from(
      (async function* () {
        for (const { file } of files) {
          yield* entryBytes(await openEntry(file, { forBytes: true }));
        }
      })(),
    );
    const { size, md5 } = await this.commitObject(bucket, key, content, metadata);
    await fsp.rm(dir, { recursive: true, force: true });
    return { size, md5 };
  }
}

const noSuchUpload = (uploadId: string) =>
  error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: uploadId });
