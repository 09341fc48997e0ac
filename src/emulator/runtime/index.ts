export { createRuntimeService } from './service.ts';
export { isRuntimeRequest } from './protocol.ts';
