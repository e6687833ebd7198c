import { describe, expect, it } from 'vitest';
import type { DownloadItem } from '../transfer/download/index.ts';
import { downloadsLostOnLeave } from './download-leave-warning.ts';

const failed = (kept: number) => ({ status: 'failed', kept }) as DownloadItem;

describe('downloadsLostOnLeave', () => {
  it('asks while downloads run or are paused, or a failed one holds saved bytes; not once all is over', () => {
    const quiet = { active: false, paused: false, failed: [] };
    expect(downloadsLostOnLeave({ ...quiet, active: true })).toBe(true);
    expect(downloadsLostOnLeave({ ...quiet, paused: true })).toBe(true);
    expect(downloadsLostOnLeave({ ...quiet, failed: [failed(0), failed(3e9)] })).toBe(true);
    expect(downloadsLostOnLeave({ ...quiet, failed: [failed(0)] })).toBe(false);
    expect(downloadsLostOnLeave(quiet)).toBe(false);
  });
});
