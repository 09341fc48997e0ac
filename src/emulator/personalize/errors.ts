/**
 * The error codes the emulated Personalize answers with. All but the last three are modeled in
 * the service's Smithy model; ValidationException and SerializationException come from the AWS
 * request framework (see validate.ts for why constraint violations use ValidationException), and
 * UnknownOperationException is what awsJson services answer for a target they do not know.
 */
export type PersonalizeErrorCode =
  | 'InvalidInputException'
  | 'InvalidNextTokenException'
  | 'LimitExceededException'
  | 'ResourceAlreadyExistsException'
  | 'ResourceInUseException'
  | 'ResourceNotFoundException'
  | 'TooManyTagKeysException'
  | 'TooManyTagsException'
  | 'ValidationException'
  | 'SerializationException'
  | 'UnknownOperationException';

/**
 * A service error response (HTTP 400, `{"__type": code, "message": ...}`). Handlers throw it from
 * any depth and the single dispatch point in service.ts turns it into the response, so a handler
 * reads as the service's rules in order instead of threading results through every lookup.
 */
export class PersonalizeError extends Error {
  constructor(
    readonly code: PersonalizeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function notFound(kind: string, arn: string): PersonalizeError {
  return new PersonalizeError('ResourceNotFoundException', `Could not find ${kind} with Arn ${arn}.`);
}

export function alreadyExists(arn: string): PersonalizeError {
  return new PersonalizeError('ResourceAlreadyExistsException', `Another resource with Arn ${arn} already exists.`);
}

export function inUse(message: string): PersonalizeError {
  return new PersonalizeError('ResourceInUseException', message);
}

export function invalidInput(message: string): PersonalizeError {
  return new PersonalizeError('InvalidInputException', message);
}
