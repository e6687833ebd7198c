import { describe, expect, it } from 'vitest';
import {
  AWS_STORAGE_CLASSES,
  EMBEDDED_STORAGE_CLASSES,
  storageClassLabel,
  storageClassProblem,
} from './storage-classes.ts';
import { KEPT_STORAGE_CLASSES } from '../local-s3/storage-class.ts';

describe('storage classes', () => {
  it('names them as the S3 console does, and a store’s own class by itself', () => {
    expect(storageClassLabel('STANDARD_IA')).toBe('Standard-IA');
    expect(storageClassLabel('GLACIER')).toBe('Glacier Flexible Retrieval');
    expect(storageClassLabel('COLD_PLACEMENT')).toBe('COLD_PLACEMENT');
  });

  it('offers on the embedded store what it keeps, and on AWS the archive classes too', () => {
    expect([...EMBEDDED_STORAGE_CLASSES].sort()).toEqual([...KEPT_STORAGE_CLASSES].sort());
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
