import type { EmulatorContext } from '../context.ts';
import { send } from '../http.ts';
import type { S3Service } from '../service.ts';

export function createS3Service(_ctx: Omit<EmulatorContext, 'objects'>): S3Service {
  return {
    objects: {
      listKeys: () => undefined,
      openObject: () => undefined,
      bucketExists: () => false,
      createBucket: () => {},
      deleteBucket: () => {},
    },
    async handle(_req, res) {
      send(res, 501, { 'content-type': 'application/xml' }, '<Error><Code>NotImplemented</Code></Error>');
    },
    async close() {},
  };
}
