import { useHealth } from './use-health.ts';
import { versionsNote } from './versions-note.ts';

/**
 * What an upload's Replace leaves of the object there, on a versioned bucket: beside the Replace of a
 * row that asks (so only such a row reads the health report).
 */
export function ReplaceNote() {
  const note = versionsNote(useHealth().data?.versioning, 'replace');
  return note && <span className="note"> {note}</span>;
}
