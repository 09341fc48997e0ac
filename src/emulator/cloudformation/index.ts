export { createCloudFormationService } from './service.ts';
