// AWS Signature Version 4, the server's half: rebuild the canonical request from what arrived on the wire and
// compute the signature a secret key would have produced. Rules as AWS documents them for services other than S3
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html): the URI path is
// normalized and every segment encoded once more (the SDKs sign the already-escaped path, so a model id's ':'
// that travels as %3A is signed as %253A), query pairs are encoded and sorted, header values trimmed.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** RFC 3986 encoding: everything but A-Z a-z 0-9 - _ . ~ as %XX (what the SDKs' escapeUri does). */
export const uriEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The canonical URI of a raw (still percent-encoded) request path: normalized, then encoded once more. */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.map(uriEncode).join('/')}${trailing}`;
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Query pairs of a raw query string (no '?'), decoded; `+` stays a plus, as the SDKs encode spaces as %20. */
export function queryPairs(rawQuery: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    pairs.push(eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
  }
  return pairs;
}

/** Encoded `key=value` pairs sorted by key, then value; `exclude` names parameters that are not signed. */
export function canonicalQuery(pairs: [string, string][], exclude: ReadonlySet<string> = new Set()): string {
  return pairs
    .filter(([k]) => !exclude.has(k))
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

const canonicalHeaderValue = (v: string) => v.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim();

export interface SignedRequest {
  method: string;
  rawPath: string;
  /** Canonical query string (see canonicalQuery). */
  query: string;
  /** Lower-case names, in the order the signature lists them. */
  signedHeaders: string[];
  header(name: string): string | undefined;
  payloadHash: string;
}

export function canonicalRequest(r: SignedRequest): string {
  const headers = r.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(r.header(name) ?? '')}\n`).join('');
  return `${r.method}\n${canonicalUri(r.rawPath)}\n${r.query}\n${headers}\n${r.signedHeaders.join(';')}\n${r.payloadHash}`;
}

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
}

/** `AKID/20260101/us-east-1/bedrock/aws4_request`; the access key itself may not contain '/'. */
export function parseCredential(credential: string): CredentialScope | undefined {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.some((p) => !p)) return undefined;
  const [accessKeyId, date, region, service, terminator] = parts;
  return { accessKeyId, date, region, service, terminator };
}

export const scopeString = (s: CredentialScope) => `${s.date}/${s.region}/${s.service}/${s.terminator}`;

export const stringToSign = (amzDate: string, scope: string, canonical: string) => `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;

export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

export const sign = (key: Buffer, toSign: string) => createHmac('sha256', key).update(toSign).digest('hex');

/** Constant-time comparison of two hex signatures (length differences answer false). */
export function signaturesMatch(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` into its parameters (undefined: not SigV4). */
export function parseAuthorization(header: string): Partial<Record<'Credential' | 'SignedHeaders' | 'Signature', string>> | undefined {
  if (!header.startsWith(`${ALGORITHM} `)) return undefined;
  const params: Record<string, string> = {};
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return params;
}

/** ISO-8601 basic format, as in X-Amz-Date: 20260101T120000Z. */
export const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** X-Amz-Date (or an HTTP Date header's value) to ms since the epoch; NaN when unreadable. */
export function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m) return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Date.parse(value);
}
