import { describe, expect, it } from 'vitest';
import { personalizeReadiness, stackReadiness } from '../../src/resources/readiness.ts';

describe('readiness from service status strings', () => {
  it('maps every Personalize lifecycle status', () => {
    const cases: [string, string][] = [
      ['CREATE PENDING', 'pending'],
      ['CREATE IN_PROGRESS', 'pending'],
      ['UPDATE PENDING', 'pending'],
      ['UPDATE IN_PROGRESS', 'pending'],
      ['ACTIVE', 'ready'],
      ['CREATE FAILED', 'failed'],
      ['DELETE PENDING', 'deleting'],
      ['DELETE IN_PROGRESS', 'deleting'],
    ];
    expect(cases.map(([s]) => [s, personalizeReadiness(s)])).toEqual(cases);
  });

  it('maps CloudFormation stack statuses, keeping a rolled-back update usable', () => {
    const cases: [string, string][] = [
      ['REVIEW_IN_PROGRESS', 'pending'],
      ['CREATE_IN_PROGRESS', 'pending'],
      ['CREATE_COMPLETE', 'ready'],
      ['UPDATE_IN_PROGRESS', 'pending'],
      ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'pending'],
      ['UPDATE_COMPLETE', 'ready'],
      ['UPDATE_ROLLBACK_IN_PROGRESS', 'pending'],
      ['UPDATE_ROLLBACK_COMPLETE', 'ready'],
      ['CREATE_FAILED', 'failed'],
      ['ROLLBACK_IN_PROGRESS', 'pending'],
      ['ROLLBACK_COMPLETE', 'failed'],
      ['ROLLBACK_FAILED', 'failed'],
      ['DELETE_IN_PROGRESS', 'deleting'],
      ['DELETE_FAILED', 'failed'],
    ];
    expect(cases.map(([s]) => [s, stackReadiness(s)])).toEqual(cases);
  });
});
