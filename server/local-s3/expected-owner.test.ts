import { describe, expect, it } from 'vitest';
import { OWNER_ID } from './bucket-handlers.ts';
import { checkExpectedOwner } from './expected-owner.ts';

const outcome = (h: Record<string, string>) => {
  try {
    checkExpectedOwner({ headers: new Map(Object.entries(h).map(([k, v]) => [k, [v]])) });
  } catch (error) {
    const e = error as { code: string; status: number };
    return [e.status, e.code];
  }
  return 'accepted';
};

describe('checkExpectedOwner', () => {
  it('takes no expected owner and the store owner, for the bucket and a copy source', () => {
    expect(outcome({})).toBe('accepted');
    expect(outcome({ 'x-amz-expected-bucket-owner': OWNER_ID })).toBe('accepted');
    expect(outcome({ 'x-amz-source-expected-bucket-owner': OWNER_ID })).toBe('accepted');
  });

  it('refuses any other owner with 403 AccessDenied', () => {
    for (const name of ['x-amz-expected-bucket-owner', 'x-amz-source-expected-bucket-owner'])
      for (const value of ['111122223333', '', `${OWNER_ID}0`])
        expect(outcome({ [name]: value })).toEqual([403, 'AccessDenied']);
  });
});
