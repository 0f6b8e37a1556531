/**
 * An error the endpoint answers with, in AWS's own vocabulary: the code goes
 * into `__type` (SSM) or `<Code>` (EC2), the status into the HTTP status line.
 */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** AWS's wording for a single constraint violation ("1 validation error detected: ..."). */
export function validationError(value: string, member: string, constraint: string): ServiceError {
  return new ServiceError(
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}
