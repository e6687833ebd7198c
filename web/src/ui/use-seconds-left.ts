import { useEffect, useState } from 'react';

/** A wait: until when (ms since the epoch), and when it was set. */
export type Wait = { until: number; setAt: number };

/** Whole seconds from `now` until `until` (ms since the epoch), rounded up; 0 once it has passed. */
export function secondsLeft(until: number | null, now: number): number {
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

/** `secondsLeft` of `wait`, rendered again each second while some are left; 0 with none. */
export function useSecondsLeft(wait: Wait | null): number {
  const [now, setNow] = useState<number | null>(null);
  // A tick from before this wait was set is no reading of it.
  const at = wait === null ? 0 : now !== null && now >= wait.setAt ? now : wait.setAt;
  useEffect(() => {
    if (wait === null) return;
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= wait.until) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [wait]);
  return secondsLeft(wait?.until ?? null, at);
}
