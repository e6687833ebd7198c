import { useQuery, useQueryClient } from '@tanstack/react-query';
import { visibleName } from './visible-name.ts';
import { useEffect, useRef, useState } from 'react';
import type { BucketVersioning, ObjectDetails, ObjectEntry } from '../../../server/shared/api-types.ts';
import { objectDetails } from '../api/objects.ts';
import { formatCount, formatDate, formatExactSize } from './format.ts';
import { storageClassLabel } from '../../../server/shared/storage-classes.ts';
import { decodeHeaderText } from '../../../server/shared/mime-words.ts';
import { useEscape } from './use-escape.ts';
import { EditPropertiesForm } from './edit-properties-form.tsx';
import { LiveLine } from './live-line.tsx';
import { shownProperties } from './edit-properties.ts';
import { retryWhileUnreachable, unreachableDelayMs } from '../api/unreachable-retry.ts';
import { VersionsSection } from './versions-section.tsx';

/** Rows of the details list: what HeadObject said, in the order the S3 console's "Properties" show it. */
export function detailRows(d: ObjectDetails, bucket: string): [string, string][] {
  const rows: [string, string | undefined][] = [
    ['Key', visibleName(d.key)],
    ['S3 URI', visibleName(`s3://${bucket}/${d.key}`)],
    ['Size', formatExactSize(d.size)],
    ['Last modified', d.lastModified ? formatDate(d.lastModified) : undefined],
    ['Type', d.contentType ?? undefined],
    ['ETag', d.etag],
    ['Uploaded in', d.partCount ? `${formatCount(d.partCount)} parts` : 'one request'],
    [
      'Checksum',
      d.checksum &&
        `${d.checksum.algorithm} ${d.checksum.value}${d.checksum.composite ? ' (checksum of the part checksums)' : ''}`,
    ],
    ['Storage class', classRow(d.storageClass ?? 'STANDARD')],
    [
      'Encryption',
      d.serverSideEncryption && `${d.serverSideEncryption}${d.sseKmsKeyId ? ` (key ${d.sseKmsKeyId})` : ''}`,
    ],
    ['Version', d.versionId],
    ['Cache-Control', d.cacheControl],
    ['Content-Disposition', d.contentDisposition],
    ['Content-Encoding', d.contentEncoding],
    ['Content-Language', d.contentLanguage],
    ['Expires', d.expires],
    // In its letters: "José", not the RFC 2047 word =?UTF-8?B?Sm9zw6k=?= the header carries.
    ...Object.entries(d.metadata ?? {}).map(([k, v]): [string, string] => [
      `x-amz-meta-${k}`,
      decodeHeaderText(v),
    ]),
    [
      'Tags',
      d.tags && (d.tags.length === 0 ? 'None' : d.tags.map((t) => `${t.key} = ${t.value}`).join(', ')),
    ],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined);
}

/** "Standard-IA (STANDARD_IA)": the S3 console's name, and the one the CLI and the API take. */
function classRow(storageClass: string): string {
  const label = storageClassLabel(storageClass);
  return label === storageClass ? storageClass : `${label} (${storageClass})`;
}

/** One object's properties, read fresh from the store when the panel opens. */
export function DetailsPanel({
  entry,
  name,
  bucket,
  versioning,
  onChanged,
  onClose,
}: {
  entry: ObjectEntry;
  name: string;
  bucket: string;
  /** On a versioned bucket (or one that was), the object's versions can be listed. */
  versioning: BucketVersioning | undefined;
  /** A version was restored or deleted: the object list is read again. */
  onChanged: () => void;
  onClose: () => void;
}) {
  const details = useQuery({
    queryKey: ['details', entry.key, entry.etag],
    queryFn: ({ signal }) => objectDetails(entry.key, signal),
    // Not for the store's answer (gone, refused: said at once), only for a server that gave none.
    retry: retryWhileUnreachable,
    retryDelay: unreachableDelayMs,
  });
  const panel = useRef<HTMLDivElement>(null);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const [showVersions, setShowVersions] = useState(false);
  const queryClient = useQueryClient();
  const versioned = versioning === 'enabled' || versioning === 'suspended';
  const editButton = useRef<HTMLButtonElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const subject = useRef<HTMLParagraphElement>(null);
  // (React's autoFocus is only for form controls.)
  useEffect(() => subject.current?.focus(), []);
  // Leaving the form (Save, Cancel, Escape) gives focus back to "Edit properties", or to Close while
  // the details are read again.
  const wasEditing = useRef(false);
  useEffect(() => {
    if (wasEditing.current && !editing) (editButton.current ?? closeButton.current)?.focus();
    wasEditing.current = editing;
  }, [editing]);
  // Escape leaves the form first, then the panel.
  useEscape(panel, () => (editing ? setEditing(false) : onClose()));
  // At the panel's foot, or on the form's line after Save and Cancel while it is open.
  const close = (
    <button type="button" onClick={onClose} ref={closeButton}>
      Close
    </button>
  );
  return (
    <div role="dialog" aria-label={`Details of ${name}`} className="panel" ref={panel}>
      {/* Focus starts here, at the top (a screen reader reads on from it), not on Close at the end. */}
      <p className="panel-subject" tabIndex={-1} ref={subject}>
        Details of <strong>{name}</strong>
      </p>
      {details.isPending && <p aria-live="polite">Reading the details of {name}…</p>}
      {details.isError && <p role="alert">Could not read the details: {details.error.message}</p>}
      {details.data && editing && (
        <EditPropertiesForm
          key={`${details.data.etag} ${JSON.stringify(shownProperties(details.data))}`}
          details={details.data}
          onDone={(done) => {
            setEditing(false);
            setSaved(done);
          }}
          after={close}
        />
      )}
      <LiveLine text={saved && !editing ? 'Saved.' : null} testId="details-said" />
      {details.data && !editing && (
        <dl className="details">
          {detailRows(details.data, bucket).map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {details.data && !editing && (
        <button
          type="button"
          ref={editButton}
          onClick={() => {
            setSaved(false);
            setEditing(true);
          }}
        >
          Edit properties
        </button>
      )}{' '}
      {versioned && !editing && (
        <button type="button" aria-expanded={showVersions} onClick={() => setShowVersions((on) => !on)}>
          Versions
        </button>
      )}{' '}
      {!(details.data && editing) && close}
      {versioned && showVersions && !editing && (
        <VersionsSection
          objectKey={entry.key}
          name={name}
          versioning={versioning}
          onChanged={() => {
            void queryClient.invalidateQueries({ queryKey: ['details', entry.key] });
            onChanged();
          }}
        />
      )}
    </div>
  );
}
