export { startEmulator, DEFAULT_ACCOUNT_ID, type RunningEmulator } from './server.ts';
export { DEFAULT_DURATIONS, ZERO_DURATIONS, type Durations, type EmulatorOptions } from './context.ts';
export { FAULTS_ENV, parseFaultConfig, type FaultConfig, type FaultCounts } from './faults.ts';
