import type { EmulatorContext } from '../context.ts';
import { send } from '../http.ts';
import type { EmulatedService } from '../service.ts';

export function createCloudFormationService(_ctx: EmulatorContext): EmulatedService {
  return {
    async handle(_req, res) {
      send(res, 400, { 'content-type': 'text/xml' }, '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code></Error></ErrorResponse>');
    },
    async close() {},
  };
}
