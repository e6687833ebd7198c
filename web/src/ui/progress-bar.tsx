import { percent } from './format.ts';

/** `complete`: the transfer is done, full whatever the bytes say (an empty file has none to count). */
export function ProgressBar({
  done,
  total,
  label,
  complete = false,
}: {
  done: number;
  total: number;
  label: string;
  complete?: boolean;
}) {
  const value = complete ? 100 : percent(done, total);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
      aria-valuetext={`${value}%`}
    >
      {/* scaleX, not width: a transform animates on the compositor, while a width transition re-lays out
          the page every frame for every moving bar (hundreds of rows kept the main thread busy). */}
      <div className="progress-fill" style={{ transform: `scaleX(${value / 100})` }} />
    </div>
  );
}
