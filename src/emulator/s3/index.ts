export { createS3Service } from './service.ts';
export { bucketNameProblem } from './bucket-name.ts';
