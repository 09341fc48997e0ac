import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The chaos suite (`npm run test:chaos`): the main config excludes test/chaos/** from `npm test`.
export default defineConfig({
  root: resolve(import.meta.dirname, '..', '..'),
  test: {
    include: ['test/chaos/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // Each test runs CLI children and an emulator: two cores fit one file at a time.
    maxWorkers: 1,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
