import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { ObjectEntry } from '../../../server/shared/api-types.ts';
import { shareLink } from '../api/objects.ts';
import { formatDate } from './format.ts';

/** The S3 console offers minutes to 7 days (SigV4's limit); these cover what people pick. */
const VALIDITY = [
  { seconds: 60 * 60, label: '1 hour' },
  { seconds: 24 * 60 * 60, label: '1 day' },
  { seconds: 7 * 24 * 60 * 60, label: '7 days' },
] as const;

/** A presigned link to one object, for someone without access to Hoist, valid for a chosen time. */
export function SharePanel({
  entry,
  name,
  bucket,
  onClose,
}: {
  entry: ObjectEntry;
  name: string;
  bucket: string;
  onClose: () => void;
}) {
  const [seconds, setSeconds] = useState<number>(VALIDITY[1].seconds);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const create = useMutation({ mutationFn: (s: number) => shareLink(entry.key, s) });
  const link = create.data;
  const s3Uri = `s3://${bucket}/${entry.key}`;
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      setCopied('no'); // no clipboard (plain http, or permission refused): the link is selected instead
    }
  };
  return (
    <div
      role="dialog"
      aria-label={`Share ${name}`}
      className="panel"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <p>
        A link anyone can use to download <strong>{name}</strong>, without signing in to Hoist.
      </p>
      <div className="panel-row">
        <label>
          Link valid for
          <select
            autoFocus
            value={seconds}
            onChange={(e) => {
              setSeconds(Number(e.target.value));
              create.reset();
              setCopied(null);
            }}
          >
            {VALIDITY.map((v) => (
              <option key={v.seconds} value={v.seconds}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => create.mutate(seconds)} disabled={create.isPending}>
          Create link
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {create.error && <p role="alert">Could not create the link: {create.error.message}</p>}
      {link && (
        <div className="panel-row">
          <input
            readOnly
            aria-label="Share link"
            value={link.url}
            onFocus={(e) => e.target.select()}
            ref={(el) => {
              if (copied === 'no') el?.select();
            }}
          />
          <button type="button" onClick={() => void copy(link.url)}>
            Copy
          </button>
          <p role="status">
            {copied === 'yes' ? 'Copied. ' : copied === 'no' ? 'Press Ctrl+C (⌘C) to copy. ' : ''}
            Works until {formatDate(new Date(link.expiresAt).toISOString())}, or until the server&apos;s
            credentials expire if they are temporary.
          </p>
        </div>
      )}
      <p>
        For people with access to the bucket (AWS CLI, SDKs): <code>{s3Uri}</code>{' '}
        <button type="button" onClick={() => void navigator.clipboard?.writeText(s3Uri).catch(() => {})}>
          Copy S3 URI
        </button>
      </p>
    </div>
  );
}
