import { describe, expect, it } from 'vitest';
import {
  AWS_STORAGE_CLASSES,
  EMBEDDED_STORAGE_CLASSES,
  storageClassLabel,
  storageClassProblem,
} from './storage-classes.ts';

describe('storage classes', () => {
  it('names them as the S3 console does, and a store’s own class by itself', () => {
    expect(storageClassLabel('STANDARD_IA')).toBe('Standard-IA');
    expect(storageClassLabel('GLACIER')).toBe('Glacier Flexible Retrieval');
    expect(storageClassLabel('COLD_PLACEMENT')).toBe('COLD_PLACEMENT');
  });

  it('offers on the embedded store no archive class, and on AWS those too', () => {
    expect(EMBEDDED_STORAGE_CLASSES).not.toContain('GLACIER');
    expect(AWS_STORAGE_CLASSES).toEqual(expect.arrayContaining(['GLACIER', 'DEEP_ARCHIVE', 'STANDARD']));
  });

  it('refuses a class not offered, naming those that are', () => {
    expect(storageClassProblem('STANDARD_IA', EMBEDDED_STORAGE_CLASSES)).toBeNull();
    expect(storageClassProblem('GLACIER', ['STANDARD', 'STANDARD_IA'])).toBe(
      '"GLACIER" is not a storage class this storage offers (Standard, Standard-IA).',
    );
    expect(storageClassProblem('STANDARD_IA', ['STANDARD'])).toMatch(
      /^This storage keeps every object in its default storage class; "STANDARD_IA" cannot be chosen \(HOIST_STORAGE_CLASSES/,
    );
  });
});
