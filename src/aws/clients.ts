import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { S3Client } from '@aws-sdk/client-s3';

/**
 * Where the SDK clients point. Without `endpoint` they use real AWS and the standard credential
 * chain; with one (the embedded emulator or any AWS-compatible endpoint) they use dummy
 * credentials unless real ones are given, and path-style S3 addressing.
 */
export interface Target {
  readonly region: string;
  readonly endpoint?: string;
  /** SDK attempts per call. The SDK treats LimitExceededException as throttling, so tests set 1. */
  readonly maxAttempts?: number;
}

export interface Clients {
  readonly personalize: PersonalizeClient;
  readonly s3: S3Client;
  readonly cloudformation: CloudFormationClient;
  readonly target: Target;
  destroy(): void;
}

const DUMMY_CREDENTIALS = { accessKeyId: 'poc-local', secretAccessKey: 'poc-local' };

export function createClients(target: Target): Clients {
  const common = {
    region: target.region,
    ...(target.maxAttempts === undefined ? {} : { maxAttempts: target.maxAttempts }),
    ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint, credentials: DUMMY_CREDENTIALS }),
  };
  const personalize = new PersonalizeClient(common);
  const s3 = new S3Client({ ...common, forcePathStyle: target.endpoint !== undefined });
  const cloudformation = new CloudFormationClient(common);
  return {
    personalize,
    s3,
    cloudformation,
    target,
    destroy() {
      personalize.destroy();
      s3.destroy();
      cloudformation.destroy();
    },
  };
}
