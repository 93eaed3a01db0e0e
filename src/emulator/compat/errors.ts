// The error wire forms of the OpenAI- and Anthropic-compatible APIs, chosen in one place: every failure on those
// paths (bad input, unknown or unserved models, authentication, throttling, injected faults) is an ApiError or an
// AwsError, and leaves as `{"error":{message,type,param,code}}` (OpenAI) or `{"type":"error","error":{type,message}}`
// (Anthropic) with the HTTP status the AWS error would have had.
import type { z } from 'zod';
import { isAwsError, type AwsErrorType } from '../errors.js';

export type CompatApi = 'openai' | 'anthropic';

/** An error in the compatible APIs' own terms: status, and OpenAI's `param`/`code` where it has them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** OpenAI's `code` for the AWS error types these paths can raise (OpenAI's own `validation_error` as AWS sends it). */
const OPENAI_CODE: Partial<Record<AwsErrorType, string>> = {
  ValidationException: 'validation_error',
  ResourceNotFoundException: 'not_found',
  AccessDeniedException: 'access_denied',
  ThrottlingException: 'rate_limit_exceeded',
  ServiceQuotaExceededException: 'quota_exceeded',
  ConflictException: 'conflict',
  RequestEntityTooLargeException: 'request_too_large',
  InternalServerException: 'internal_error',
};

/** OpenAI's error `type` per HTTP status. */
function openaiType(status: number): string {
  if (status === 401 || status === 403) return status === 401 ? 'authentication_error' : 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** Anthropic's error `type` per HTTP status (https://docs.anthropic.com/en/api/errors). */
function anthropicType(status: number): string {
  const types: Record<number, string> = {
    400: 'invalid_request_error',
    401: 'authentication_error',
    403: 'permission_error',
    404: 'not_found_error',
    413: 'request_too_large',
    429: 'rate_limit_error',
    529: 'overloaded_error',
  };
  return types[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isAwsError(err)) return new ApiError(err.status, err.message, null, OPENAI_CODE[err.type] ?? err.type);
  console.error('bedrock-batch-emulator: unexpected error', err);
  return new ApiError(500, 'The emulator hit an internal error; see its log.', null, 'internal_error');
}

export function errorBody(api: CompatApi, err: unknown): { status: number; body: Record<string, unknown> } {
  const e = asApiError(err);
  if (api === 'anthropic') return { status: e.status, body: { type: 'error', error: { type: anthropicType(e.status), message: e.message } } };
  return { status: e.status, body: { error: { message: e.message, type: openaiType(e.status), param: e.param, code: e.code } } };
}

/** A body that is not JSON, or fails its zod schema: the first problem, with its path as OpenAI's `param`. */
export function parseBody<S extends z.ZodType>(schema: S, raw: Uint8Array): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch {
    throw new ApiError(400, 'We could not parse the JSON body of your request. The body must be a JSON object.', null, 'invalid_json');
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw issueError(parsed.error);
}

/** A schema's first complaint as OpenAI words it, with the field's path as `param`. */
export function issueError(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const param = issue.path.map(String).join('.') || null;
  const missing = issue.code === 'invalid_type' && issue.message.includes('received undefined');
  if (missing) return new ApiError(400, `Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
  return new ApiError(400, `Invalid value for '${param ?? 'body'}': ${issue.message}.`, param, 'invalid_value');
}
