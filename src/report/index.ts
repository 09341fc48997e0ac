export * from './types.ts';
export * from './build.ts';
export * from './gates.ts';
export * from './collect.ts';
export * from './local-intervals.ts';
export * from './make-report.ts';
