import { describe, expect, it } from 'vitest';
import { deleteSummary } from './delete-summary.ts';

describe('deleteSummary', () => {
  it('says how many were deleted', () => {
    expect(deleteSummary({ deleted: 1503, total: 1503, errors: [] })).toBe('Deleted 1,503 objects.');
    expect(deleteSummary({ deleted: 1, total: 1, errors: [] })).toBe('Deleted 1 object.');
  });

  it('names what could not be deleted, the first five', () => {
    const errors = Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, message: 'AccessDenied' }));
    expect(deleteSummary({ deleted: 2, total: 3, errors: errors.slice(0, 1) })).toBe(
      'Deleted 2 objects. 1 could not be deleted: k0 (AccessDenied)',
    );
    expect(deleteSummary({ deleted: 0, total: 6, errors })).toBe(
      'Deleted 0 objects. 6 could not be deleted: k0 (AccessDenied), k1 (AccessDenied), k2 (AccessDenied), k3 (AccessDenied), k4 (AccessDenied)…',
    );
  });

  it('says when it was stopped before the end', () => {
    expect(deleteSummary({ deleted: 1000, total: 2500, errors: [] })).toBe(
      'Deleted 1,000 objects of 2,500 objects (stopped).',
    );
  });

  it('says what was added under the folders since the count, and is still there', () => {
    expect(
      deleteSummary({ deleted: 1235, total: 1235, errors: [], late: [{ name: 'many/', count: 1 }] }),
    ).toBe('Deleted 1,235 objects. 1 object written since the count is still in “many/”.');
    expect(
      deleteSummary({
        deleted: 4,
        total: 5,
        errors: [{ key: 'a/x', message: 'AccessDenied' }],
        late: [
          { name: 'a/', count: 2 },
          { name: 'b/', count: 1 },
          { name: 'c/', count: 1000 },
        ],
      }),
    ).toBe(
      'Deleted 4 objects. 1,003 objects written since the count are still in “a/”, “b/” and “c/”. 1 could not be deleted: a/x (AccessDenied)',
    );
    expect(deleteSummary({ deleted: 3, total: 3, errors: [], late: [] })).toBe('Deleted 3 objects.');
  });

  it('counts a key written again since the count, kept by the pinned delete, as written since, not as a stop', () => {
    expect(
      deleteSummary({
        deleted: 24,
        total: 25,
        errors: [],
        rewritten: 1,
        late: [{ name: 'many/', count: 2 }],
      }),
    ).toBe('Deleted 24 objects. 2 objects written since the count are still in “many/”.');
  });
});
