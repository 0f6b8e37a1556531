/** Errors shaped exactly as the SDK throws them (ServiceException subclasses). */
import { SSMServiceException } from '@aws-sdk/client-ssm';

export function ssmError(name: string, status = 400, message = name): SSMServiceException {
  return new SSMServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'req-test' },
    message,
  });
}

export const throttled = () => ssmError('ThrottlingException', 400, 'Rate exceeded');
