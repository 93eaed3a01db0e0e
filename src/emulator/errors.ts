// AWS error types as data. Handlers and the job engine throw AwsError (the fake models' own failures become
// AwsError in model-errors.ts); the HTTP layer's one error mapper turns it into status + `x-amzn-ErrorType` +
// `{"message"}`. Statuses are the service models' `httpStatusCode` for each error shape (src/emulator/service-models:
// Conflict/ServiceQuotaExceeded are 400).

export const ERROR_STATUS = {
  AccessDeniedException: 403,
  ConflictException: 400,
  InternalServerException: 500,
  ModelErrorException: 424,
  ModelNotReadyException: 429,
  ModelStreamErrorException: 424,
  ModelTimeoutException: 408,
  ResourceInUseException: 400,
  ResourceNotFoundException: 404,
  ServiceQuotaExceededException: 400,
  ServiceUnavailableException: 503,
  ThrottlingException: 429,
  TooManyTagsException: 400,
  ValidationException: 400,
  // Not modelled shapes, but what the AWS front end answers for protocol-level problems.
  SerializationException: 400,
  UnknownOperationException: 404,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  // Strict mode's authentication failures (src/emulator/auth); IncompleteSignature is 400 in Bedrock's
  // troubleshooting table, the others 403.
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 400,
  ExpiredTokenException: 403,
  RequestEntityTooLargeException: 413,
  UnsupportedMediaTypeException: 415,
  MethodNotAllowedException: 405,
} as const;

export type AwsErrorType = keyof typeof ERROR_STATUS;

export class AwsError extends Error {
  readonly type: AwsErrorType;
  readonly status: number;
  /** Extra members some error shapes carry (e.g. ModelErrorException's originalStatusCode, resourceName). */
  readonly extra: Record<string, unknown>;

  constructor(type: AwsErrorType, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = type;
    this.type = type;
    this.status = ERROR_STATUS[type];
    this.extra = extra;
  }
}

export const isAwsError = (e: unknown): e is AwsError => e instanceof AwsError;

export const notFound = (message: string) => new AwsError('ResourceNotFoundException', message);
