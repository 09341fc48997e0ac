export * from './diagnostic.ts';
export * from './did-you-mean.ts';
