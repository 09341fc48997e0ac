/** CloudFormation error codes as the query protocol names them (the SDK maps them to exceptions). */
export type CfnErrorCode =
  | 'AlreadyExistsException'
  | 'ChangeSetNotFound'
  | 'InsufficientCapabilitiesException'
  | 'InvalidAction'
  | 'InvalidChangeSetStatus'
  | 'MissingAction'
  | 'ValidationError';

const STATUS: Record<CfnErrorCode, number> = {
  AlreadyExistsException: 400,
  ChangeSetNotFound: 404,
  InsufficientCapabilitiesException: 400,
  InvalidAction: 400,
  InvalidChangeSetStatus: 400,
  MissingAction: 400,
  ValidationError: 400,
};

/** An error answer as a value; handlers return it instead of throwing. */
export interface CfnError {
  readonly kind: 'cfn-error';
  readonly code: CfnErrorCode;
  readonly message: string;
}

export function cfnError(code: CfnErrorCode, message: string): CfnError {
  return { kind: 'cfn-error', code, message };
}

export function isCfnError(value: unknown): value is CfnError {
  return typeof value === 'object' && value !== null && (value as CfnError).kind === 'cfn-error';
}

export function statusOf(code: CfnErrorCode): number {
  return STATUS[code];
}

export function noSuchStack(nameOrId: string): CfnError {
  return cfnError('ValidationError', `Stack with id ${nameOrId} does not exist`);
}
