import type { ObjectEntry } from '../../../server/shared/api-types.ts';

/** Placeholder until the download engine is wired: downloads of many objects at once. */
export function DownloadSelected({ entries }: { entries: ObjectEntry[]; prefix: string }) {
  return (
    <button type="button" disabled={entries.length === 0} title="Coming with the download engine">
      Download selected
    </button>
  );
}
