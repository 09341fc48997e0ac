import type { EmulatorContext } from '../context.ts';
import { send } from '../http.ts';
import type { EmulatedService } from '../service.ts';

export function createPersonalizeService(_ctx: EmulatorContext): EmulatedService {
  return {
    async handle(req, res) {
      const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      send(res, 400, { 'content-type': 'application/x-amz-json-1.1' }, JSON.stringify({ __type: 'UnknownOperationException', message: `Unknown operation ${op}` }));
    },
    async close() {},
  };
}
