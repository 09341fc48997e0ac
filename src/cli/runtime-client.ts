import { PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import { DUMMY_CREDENTIALS, type Target } from '../aws/clients.ts';

/**
 * A Personalize Runtime client for the same target as the control-plane clients: real AWS with
 * the standard credential chain, or an endpoint (the emulator) with placeholder credentials.
 */
export function runtimeClient(target: Target): PersonalizeRuntimeClient {
  return new PersonalizeRuntimeClient({
    region: target.region,
    ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint, credentials: DUMMY_CREDENTIALS }),
  });
}
