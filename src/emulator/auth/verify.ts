// Strict mode: every Bedrock request proves who sent it, and acts in that credential's account. Accepted:
// SigV4 in the Authorization header or in the query (presigned), made with a configured secret key and dated
// within 15 minutes of the emulator clock; a short-term Bedrock API key (`Bearer bedrock-api-key-…`, itself a
// presigned SigV4 URL) made with a configured key; a long-term API key listed as a credential's `apiKey`.
// Failures answer AWS's restJson authentication errors. Outside strict mode nothing is checked.
import type { Config } from '../config.js';
import type { Emulator } from '../emulator.js';
import { AwsError } from '../errors.js';
import type { RequestContext } from '../request-context.js';
import type { WireRequest } from '../wire.js';
import {
  ALGORITHM,
  EMPTY_SHA256,
  UNSIGNED_PAYLOAD,
  amzDate,
  canonicalQuery,
  canonicalRequest,
  parseAmzDate,
  parseAuthorization,
  parseCredential,
  queryPairs,
  scopeString,
  sha256Hex,
  sign,
  signaturesMatch,
  signingKey,
  stringToSign,
  type SignedRequest,
} from './sigv4.js';

const SERVICE = 'bedrock';
const SKEW_MS = 15 * 60_000;
const TOKEN_PREFIX = 'bedrock-api-key-';

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const invalidToken = () => new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
const invalidSignature = (message: string) => new AwsError('InvalidSignatureException', message);
const incomplete = (message: string) => new AwsError('IncompleteSignatureException', message);

interface Caller {
  account: string;
  /** Absent when the credential does not say (long-term API keys): the request's region stands. */
  region?: string;
  accessKeyId: string;
}

/** The request's context as the verified caller (strict mode), or `ctx` unchanged. Throws AWS's auth errors. */
export function authenticate(req: WireRequest, rawPath: string, body: Uint8Array, ctx: RequestContext, emu: Emulator): RequestContext {
  const config = emu.config.get();
  if (!config.strict) return ctx;
  const caller = verify(req, rawPath, body, config, emu.clock.now());
  // Object.assign, not `{ ...ctx, … }`: V8 is slow over a spread followed by more properties.
  return Object.assign({}, ctx, { account: caller.account, region: caller.region ?? ctx.region, accessKeyId: caller.accessKeyId });
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~\dA-Za-z]+$/;

function verify(req: WireRequest, rawPath: string, body: Uint8Array, config: Config, now: number): Caller {
  const authorization = req.headers.get('authorization');
  const q = req.url.indexOf('?');
  const pairs = q < 0 ? [] : queryPairs(req.url.slice(q + 1));
  const param = (name: string) => pairs.find(([k]) => k === name)?.[1];
  const host = () => req.host();
  // HTTP/2 carries the host as :authority, which the server does not hand over as a header (the JS SDK's HTTP/2
  // handler signs ':authority' too).
  const header = (name: string) => {
    if (name.startsWith(':')) return name === ':authority' ? host() : undefined;
    // As fetch's Headers.get: a name that is no header name is a TypeError.
    if (!HEADER_NAME.test(name)) throw new TypeError(`Invalid header name: ${name}`);
    return req.headers.get(name.toLowerCase()) ?? (name === 'host' ? host() : undefined);
  };

  if (authorization !== null && /^Bearer\s/i.test(authorization)) return bearer(authorization.replace(/^Bearer\s+/i, '').trim(), config, now);

  if (authorization !== null) {
    const params = parseAuthorization(authorization) ?? {};
    const missing = (['Credential', 'Signature', 'SignedHeaders'] as const).filter((k) => !params[k]);
    const xAmzDate = req.headers.get('x-amz-date');
    const httpDate = req.headers.get('date');
    const problems = missing.map((k) => `Authorization header requires '${k}' parameter.`);
    if (!xAmzDate && !httpDate) problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    if (problems.length) throw incomplete(`${problems.join(' ')} Authorization=${authorization}`);
    const declared = req.headers.get('x-amz-content-sha256');
    return verifySigned(config, now, {
      credential: params.Credential!,
      signature: params.Signature!,
      date: xAmzDate ?? httpDate!,
      request: { method: req.method, rawPath, query: canonicalQuery(pairs), signedHeaders: params.SignedHeaders!.split(';'), header },
      // The actual body is hashed, so a body changed after signing fails even when the client declared a hash.
      payloadHashes: [declared === UNSIGNED_PAYLOAD ? UNSIGNED_PAYLOAD : sha256Hex(body)],
    });
  }

  if (param('X-Amz-Algorithm') !== undefined || param('X-Amz-Signature') !== undefined || param('X-Amz-Credential') !== undefined) {
    const required = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'];
    if (required.some((k) => !param(k))) {
      throw incomplete(`AWS query-string parameters must include ${required.map((k) => `'${k}'`).join(', ')}. Re-examine the query-string parameters.`);
    }
    if (param('X-Amz-Algorithm') !== ALGORITHM) throw incomplete(`Unsupported AWS 'algorithm': '${param('X-Amz-Algorithm')}'`);
    return verifySigned(config, now, {
      credential: param('X-Amz-Credential')!,
      signature: param('X-Amz-Signature')!,
      date: param('X-Amz-Date')!,
      expiresSeconds: Number(param('X-Amz-Expires') ?? 900),
      request: { method: req.method, rawPath, query: canonicalQuery(pairs, new Set(['X-Amz-Signature'])), signedHeaders: param('X-Amz-SignedHeaders')!.split(';'), header },
      payloadHashes: [sha256Hex(body), UNSIGNED_PAYLOAD],
    });
  }

  throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
}

interface Signed {
  credential: string;
  signature: string;
  /** X-Amz-Date (or the Date header). */
  date: string;
  /** Presigned: seconds the signature stays valid after `date`. */
  expiresSeconds?: number;
  request: Omit<SignedRequest, 'payloadHash'>;
  /** Payload hashes to try, in order (presigned requests may sign UNSIGNED-PAYLOAD). */
  payloadHashes: string[];
}

function verifySigned(config: Config, now: number, s: Signed): Caller {
  const scope = parseCredential(s.credential);
  if (!scope) throw incomplete(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${s.credential}'`);
  const credential = config.credentials.find((c) => c.accessKeyId === scope.accessKeyId);
  if (!credential) throw invalidToken();
  if (scope.terminator !== 'aws4_request') throw invalidSignature(`Credential should be scoped with a valid terminator: 'aws4_request', not '${scope.terminator}'.`);
  if (scope.service !== SERVICE) throw invalidSignature(`Credential should be scoped to correct service: '${SERVICE}'.`);

  const time = parseAmzDate(s.date);
  if (Number.isNaN(time)) throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${s.date}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  const requestDate = amzDate(time);
  if (requestDate.slice(0, 8) !== scope.date) {
    throw invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${requestDate.slice(0, 8)}', from '${s.date}'.`,
    );
  }
  if (s.expiresSeconds !== undefined && now > time + s.expiresSeconds * 1000) {
    throw invalidSignature(`Signature expired: ${requestDate} is now earlier than ${amzDate(now - s.expiresSeconds * 1000)} (${amzDate(now)} - ${s.expiresSeconds} sec.)`);
  }
  if (s.expiresSeconds === undefined && time < now - SKEW_MS) {
    throw invalidSignature(`Signature expired: ${requestDate} is now earlier than ${amzDate(now - SKEW_MS)} (${amzDate(now)} - 15 min.)`);
  }
  if (time > now + SKEW_MS) {
    throw invalidSignature(`Signature not yet current: ${requestDate} is still later than ${amzDate(now + SKEW_MS)} (${amzDate(now)} + 15 min.)`);
  }

  const key = signingKey(credential.secretAccessKey, scope.date, scope.region, scope.service);
  let first: { canonical: string; toSign: string } | undefined;
  for (const payloadHash of s.payloadHashes) {
    const canonical = canonicalRequest({ ...s.request, payloadHash });
    const toSign = stringToSign(requestDate, scopeString(scope), canonical);
    if (signaturesMatch(sign(key, toSign), s.signature)) {
      return { account: credential.account ?? config.account, region: scope.region, accessKeyId: credential.accessKeyId };
    }
    first ??= { canonical, toSign };
  }
  // AWS shows what it computed, so a client author can diff it against their own.
  throw invalidSignature(
    `${MISMATCH}\n\nThe Canonical String for this request should have been\n'${first!.canonical}'\n\nThe String-to-Sign should have been\n'${first!.toSign}'\n`,
  );
}

/**
 * Bedrock API keys. Short-term keys are `bedrock-api-key-` + base64 of a presigned URL
 * (`bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-…&Version=1`, POST, signed for `bedrock` in the
 * key's region, valid ≤ 12 hours): verified like any presigned request, and usable only in that region, as AWS
 * documents. Long-term keys are opaque: accepted when a credential lists them as `apiKey`.
 */
function bearer(token: string, config: Config, now: number): Caller {
  if (!token.startsWith(TOKEN_PREFIX)) {
    const listed = config.credentials.find((c) => c.apiKey !== undefined && signaturesMatch(c.apiKey, token));
    if (!listed) throw invalidToken();
    return { account: listed.account ?? config.account, accessKeyId: listed.accessKeyId };
  }
  const url = Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64').toString('utf8');
  const m = /^([^/?#\s]+)(\/[^?#]*)\?([^#\s]*)$/.exec(url);
  if (!m) throw invalidToken();
  const [, host, path, rawQuery] = m;
  const pairs = queryPairs(rawQuery);
  const param = (name: string) => pairs.find(([k]) => k === name)?.[1];
  const required = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'];
  if (param('Action') !== 'CallWithBearerToken' || param('X-Amz-Algorithm') !== ALGORITHM || required.some((k) => !param(k))) throw invalidToken();
  try {
    return verifySigned(config, now, {
      credential: param('X-Amz-Credential')!,
      signature: param('X-Amz-Signature')!,
      date: param('X-Amz-Date')!,
      expiresSeconds: Number(param('X-Amz-Expires')),
      // `Version` is appended after signing by every token generator.
      request: { method: 'POST', rawPath: path, query: canonicalQuery(pairs, new Set(['X-Amz-Signature', 'Version'])), signedHeaders: param('X-Amz-SignedHeaders')!.split(';'), header: (n) => (n === 'host' ? host : undefined) },
      payloadHashes: [EMPTY_SHA256, UNSIGNED_PAYLOAD],
    });
  } catch (e) {
    if (e instanceof AwsError && e.message.startsWith('Signature expired')) throw new AwsError('ExpiredTokenException', 'The security token included in the request is expired');
    throw invalidToken();
  }
}
