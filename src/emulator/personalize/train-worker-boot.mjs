// Worker threads do not inherit the parent's tsx hooks (Node 20), and --import in a worker's
// execArgv runs too late for its entry file: register tsx here, then load the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./train-worker.ts');
