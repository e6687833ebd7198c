import { describe, expect, it } from 'vitest';
import { ApiError } from '../transfer/shared/api-error.ts';
import { againWhileUnreachable, retryWhileUnreachable, unreachableDelayMs } from './unreachable-retry.ts';

const badGateway = () => new ApiError('http-502', 502, 'The server answered 502.');
const gone = () => new ApiError('no-such-key', 404, 'That object is not there any more.');

describe('retryWhileUnreachable', () => {
  it('retries a server that did not answer, or a proxy that answered for it, three times', () => {
    for (const error of [badGateway(), new ApiError('network', 0, 'x'), new ApiError('http-503', 503, 'x')]) {
      expect(retryWhileUnreachable(0, error)).toBe(true);
      expect(retryWhileUnreachable(2, error)).toBe(true);
      expect(retryWhileUnreachable(3, error)).toBe(false);
    }
  });

  it("never retries the server's own answer", () => {
    expect(retryWhileUnreachable(0, gone())).toBe(false);
    expect(retryWhileUnreachable(0, new Error('boom'))).toBe(false);
  });
});

describe('againWhileUnreachable', () => {
  it('tries again after 0.5, 1 and 2 s, and gives the answer that comes', async () => {
    const slept: number[] = [];
    let calls = 0;
    const value = await againWhileUnreachable(
      async () => {
        if (++calls < 3) throw badGateway();
        return 'link';
      },
      { sleep: async (ms) => void slept.push(ms) },
    );
    expect(value).toBe('link');
    expect(slept).toEqual([500, 1000]);
    expect(unreachableDelayMs(2)).toBe(2000);
  });

  it('gives up after three retries with the last error, and at once on an answer', async () => {
    let calls = 0;
    const sleep = async () => {};
    await expect(
      againWhileUnreachable(
        async () => {
          calls++;
          throw badGateway();
        },
        { sleep },
      ),
    ).rejects.toThrow('502');
    expect(calls).toBe(4);
    calls = 0;
    await expect(
      againWhileUnreachable(
        async () => {
          calls++;
          throw gone();
        },
        { sleep },
      ),
    ).rejects.toThrow('not there');
    expect(calls).toBe(1);
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    const pending = againWhileUnreachable(
      async () => {
        throw badGateway();
      },
      { signal: controller.signal },
    );
    controller.abort(new DOMException('stop', 'AbortError'));
    await expect(pending).rejects.toThrow('stop');
  });
});
