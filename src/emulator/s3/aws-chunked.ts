// Decodes `Content-Encoding: aws-chunked` request bodies (what today's S3 SDKs send for streamed uploads:
// `<hex size>[;chunk-signature=…]\r\n<data>\r\n … 0\r\n<trailers>\r\n\r\n`) into the plain object bytes, in
// constant memory, and verifies a trailing or header checksum it knows how to compute.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';

export class ChecksumMismatch extends Error {
  constructor(readonly algorithm: string) {
    super(`The ${algorithm} you specified did not match the calculated checksum.`);
  }
}

export const INCOMPLETE_BODY = 'You did not provide the number of bytes specified by the Content-Length HTTP header';

/** The decoded body is not as long as its x-amz-decoded-content-length said. */
export class IncompleteBody extends Error {
  constructor() {
    super(INCOMPLETE_BODY);
  }
}

interface Digest {
  update(data: Buffer): void;
  base64(): string;
}

function crc32Digest(): Digest {
  let value = 0;
  return {
    update: (data) => (value = crc32(data, value)),
    base64: () => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(value >>> 0);
      return b.toString('base64');
    },
  };
}

const hashDigest = (name: string): Digest => {
  const h = createHash(name);
  return { update: (d) => h.update(d), base64: () => h.digest('base64') };
};

/** Checksums the emulator verifies; others (crc32c, crc64nvme) are accepted as sent. */
export const DIGESTS: Record<string, () => Digest> = {
  'x-amz-checksum-crc32': crc32Digest,
  'x-amz-checksum-sha1': () => hashDigest('sha1'),
  'x-amz-checksum-sha256': () => hashDigest('sha256'),
};

export class AwsChunkedDecoder extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  private remaining = -1; // bytes of chunk data still to pass through; -1 = reading a size line
  private done = false;
  private decoded = 0;
  private expectedLength: number | undefined;
  private readonly digests = new Map<string, Digest>();
  /** Trailer headers sent after the last chunk (e.g. x-amz-checksum-crc32). */
  readonly trailers: Record<string, string> = {};

  constructor(private readonly expected: Record<string, string> = {}) {
    super();
    for (const name of Object.keys(DIGESTS)) this.digests.set(name, DIGESTS[name]());
  }

  /** The body's x-amz-decoded-content-length: a body that decodes to another length is refused. */
  expectLength(length: number) {
    this.expectedLength = length;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    try {
      this.drain();
      callback();
    } catch (e) {
      callback(e as Error);
    }
  }

  override _flush(callback: TransformCallback) {
    if (!this.done) return callback(new Error('aws-chunked body ended before its final chunk'));
    if (this.expectedLength !== undefined && this.decoded !== this.expectedLength) return callback(new IncompleteBody());
    this.readTrailers();
    const sent = { ...this.expected, ...this.trailers };
    for (const [name, value] of Object.entries(sent)) {
      const digest = this.digests.get(name);
      if (digest && digest.base64() !== value) return callback(new ChecksumMismatch(name.slice('x-amz-checksum-'.length).toUpperCase()));
    }
    callback();
  }

  private drain() {
    while (this.buffer.length && !this.done) {
      if (this.remaining > 0) {
        const take = this.buffer.subarray(0, Math.min(this.remaining, this.buffer.length));
        for (const d of this.digests.values()) d.update(take);
        this.push(take);
        this.decoded += take.length;
        this.remaining -= take.length;
        this.buffer = this.buffer.subarray(take.length);
        if (this.remaining === 0) this.remaining = -2; // expect CRLF after the data
        continue;
      }
      const eol = this.buffer.indexOf('\r\n');
      if (eol < 0) return;
      const line = this.buffer.subarray(0, eol).toString('latin1');
      this.buffer = this.buffer.subarray(eol + 2);
      if (this.remaining === -2) {
        if (line !== '') throw new Error('malformed aws-chunked body: missing CRLF after chunk data');
        this.remaining = -1;
        continue;
      }
      const size = Number.parseInt(line.split(';')[0], 16);
      if (!Number.isFinite(size) || size < 0) throw new Error(`malformed aws-chunked size line '${line.slice(0, 40)}'`);
      if (size > 0) {
        this.remaining = size;
        continue;
      }
      // Trailers follow the last chunk; they may arrive in later reads, so they are parsed at the end.
      this.done = true;
      return;
    }
  }

  private readTrailers() {
    const text = this.buffer.toString('latin1');
    for (const line of text.split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) this.trailers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
  }
}
