import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { S3Client } from '@aws-sdk/client-s3';
import { AWS_RETRY, ENDPOINT_RETRY, retryMiddleware, type RetryPolicy } from '../apply/retry.ts';

/**
 * Where the SDK clients point. Without `endpoint` they use real AWS and the standard credential
 * chain; with one (the embedded emulator or any AWS-compatible endpoint) they use dummy
 * credentials unless real ones are given, and path-style S3 addressing.
 */
export interface Target {
  readonly region: string;
  readonly endpoint?: string;
  /**
   * SDK attempts per call. The SDK treats LimitExceededException as throttling, so tests set 1.
   * Unset, it is 1 whenever our backoff (`retry`) is on.
   */
  readonly maxAttempts?: number;
  /**
   * Our backoff around each call, on top of the SDK's (throttling, 5xx, lost connections and
   * LimitExceeded). Default: {@link AWS_RETRY} for AWS, {@link ENDPOINT_RETRY} for an endpoint,
   * and none when `maxAttempts` is 1, which tests use to see the service's first answer.
   */
  readonly retry?: RetryPolicy | 'off';
}

export interface Clients {
  readonly personalize: PersonalizeClient;
  readonly s3: S3Client;
  readonly cloudformation: CloudFormationClient;
  readonly target: Target;
  destroy(): void;
}

/** What an endpoint such as the emulator gets instead of real credentials (it checks no signatures). */
export const DUMMY_CREDENTIALS = { accessKeyId: 'poc-local', secretAccessKey: 'poc-local' };

export function createClients(target: Target): Clients {
  const retry = target.retry ?? (target.maxAttempts === 1 ? 'off' : target.endpoint === undefined ? AWS_RETRY : ENDPOINT_RETRY);
  // With our backoff on, it is the only retry layer: the SDK's would resend a create whose
  // answer was lost, and a second CreateSolutionVersion trains (and bills) twice.
  const maxAttempts = target.maxAttempts ?? (retry === 'off' ? undefined : 1);
  const common = {
    region: target.region,
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
    ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint, credentials: DUMMY_CREDENTIALS }),
  };
  const personalize = new PersonalizeClient(common);
  const s3 = new S3Client({ ...common, forcePathStyle: target.endpoint !== undefined });
  const cloudformation = new CloudFormationClient(common);
  if (retry !== 'off') {
    const options = { step: 'initialize', name: 'pocBackoff', priority: 'high' } as const;
    // One place for every kind's calls; the middleware types differ per client only in their generics.
    personalize.middlewareStack.add(retryMiddleware(retry) as never, options);
    s3.middlewareStack.add(retryMiddleware(retry) as never, options);
    cloudformation.middlewareStack.add(retryMiddleware(retry) as never, options);
  }
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
