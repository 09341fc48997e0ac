export { createPersonalizeService } from './service.ts';
export { openDatasetRows, type DatasetRows } from './data-store.ts';
