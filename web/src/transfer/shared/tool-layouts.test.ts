import { describe, expect, it } from 'vitest';
import { hoistLayout, toolLayouts } from './tool-layouts.ts';

const MiB = 1024 * 1024;

describe('tool layouts', () => {
  it('knows how the common uploaders cut an object, larger parts past 10,000 of them', () => {
    const sizes = (size: number) => toolLayouts(size).map((l) => [l.partSize / MiB, l.count]);
    expect(sizes(100 * MiB)).toEqual([
      [5, 20],
      [8, 13],
      [16, 7],
      [15, 7],
    ]);
    // 100 GiB: Hoist 11 MiB; s3transfer doubles 8 MiB to 16; minio-go 16 MiB steps, 10,000 parts at most.
    expect(sizes(100 * 1024 * MiB)).toEqual([
      [11, 9310],
      [16, 6400],
      [16, 6400],
      [15, 6827],
    ]);
    expect(toolLayouts(4 * 1024 ** 4).every((l) => l.count <= 10_000 || l.partSize === 15 * MiB)).toBe(true);
    // Small enough for one request with every tool: no multipart layout.
    expect(toolLayouts(5 * MiB)).toEqual([]);
  });

  it("knows Hoist's part layout: none for a single request, 5 MiB parts, larger past 10,000 parts", () => {
    expect(hoistLayout(5 * MiB)).toBeNull();
    expect(hoistLayout(5 * MiB + 1)).toEqual({ partSize: 5 * MiB, count: 2 });
    expect(hoistLayout(100_000 * MiB)).toEqual({ partSize: 10 * MiB, count: 10_000 });
    expect(hoistLayout(-1)).toBeNull();
  });
});
