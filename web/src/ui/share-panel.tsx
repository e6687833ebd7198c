import { useMutation } from '@tanstack/react-query';
import { visibleName } from './visible-name.ts';
import { useEffect, useId, useRef, useState } from 'react';
import type { ObjectEntry } from '../../../server/shared/api-types.ts';
import { shareLink } from '../api/objects.ts';
import { formatDate } from './format.ts';
import { isLoopbackUrl } from './loopback-url.ts';
import { LiveLine } from './live-line.tsx';
import { useEscape } from './use-escape.ts';
import { retryWhileUnreachable, unreachableDelayMs } from '../api/unreachable-retry.ts';

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
  // What was copied last, and whether the clipboard took it.
  const [copied, setCopied] = useState<{ what: 'link' | 'uri'; ok: boolean } | null>(null);
  // Signing a link changes nothing: sent again while the Hoist server does not answer.
  const create = useMutation({
    mutationFn: (s: number) => shareLink(entry.key, s),
    retry: retryWhileUnreachable,
    retryDelay: unreachableDelayMs,
  });
  const link = create.data;
  const s3Uri = `s3://${bucket}/${entry.key}`;
  const panel = useRef<HTMLDivElement>(null);
  const linkField = useRef<HTMLInputElement | null>(null);
  const createButton = useRef<HTMLButtonElement>(null);
  useEscape(panel, onClose);
  // "Create link" turns off while it asks: focus goes to the link once it is there (selected, to
  // copy), or back to the button if it could not be made.
  useEffect(() => {
    if (link) linkField.current?.focus();
  }, [link]);
  useEffect(() => {
    if (create.error) createButton.current?.focus();
  }, [create.error]);
  const copy = async (what: 'link' | 'uri', text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied({ what, ok: true });
    } catch {
      // No clipboard (plain http, or permission refused): the text is selected instead (the URI in a
      // field of its own, as the key is: the page shows it with invisible characters spelt out).
      setCopied({ what, ok: false });
    }
  };
  /** What the link is, and what it is not (a presigned URL: the key's bytes when opened, no revoking). */
  const about = useId();
  const feedback = (what: 'link' | 'uri') =>
    copied?.what !== what ? '' : copied.ok ? 'Copied. ' : 'Press Ctrl+C (⌘C) to copy. ';
  return (
    <div role="dialog" aria-label={`Share ${name}`} aria-describedby={about} className="panel" ref={panel}>
      <p id={about}>
        A link to download <strong>{name}</strong> without signing in to Hoist. Until it expires it gives
        whatever is stored under this name when it is opened (a file uploaded over it since too), and it
        cannot be taken back sooner.
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
        <button
          type="button"
          ref={createButton}
          onClick={() => create.mutate(seconds)}
          disabled={create.isPending}
        >
          Create link
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {create.error && <p role="alert">Could not create the link: {create.error.message}</p>}
      {/* In the page before the link: focus goes to the link field, and this is said after it, with who
          the link works for (shown below the field, where a screen reader would not go by itself: said
          here for screen readers alone, not shown twice). */}
      <LiveLine
        testId="share-link-status"
        text={
          link ? (
            <>
              {feedback('link')}Works until {formatDate(new Date(link.expiresAt).toISOString())}
              {link.endsWithCredentials
                ? ', sooner than asked: the server signs with temporary credentials, which end then.'
                : '.'}{' '}
              <span className="sr-only">
                {isLoopbackUrl(link.url)
                  ? `Only works on this computer: the link points at ${new URL(link.url).host}.`
                  : 'Anyone with the link can download it.'}
              </span>
            </>
          ) : null
        }
      />
      {link && (
        <>
          <div className="panel-row">
            <input
              readOnly
              aria-label="Share link"
              value={link.url}
              onFocus={(e) => e.target.select()}
              ref={(el) => {
                linkField.current = el;
                if (copied?.what === 'link' && !copied.ok) el?.select();
              }}
            />
            <button type="button" onClick={() => void copy('link', link.url)}>
              Copy
            </button>
          </div>
          {isLoopbackUrl(link.url) ? (
            <p data-testid="share-reach">
              <strong>Only works on this computer:</strong> the link points at {new URL(link.url).host}. To
              share it, the store must be reachable by others (see <code>S3_PUBLIC_ENDPOINT</code> in the
              README&apos;s Configuration).
            </p>
          ) : (
            <p data-testid="share-reach">Anyone with the link can download it.</p>
          )}
        </>
      )}
      <p>
        For people with access to the bucket (AWS CLI, SDKs): <code>{visibleName(s3Uri)}</code>{' '}
        <button type="button" onClick={() => void copy('uri', s3Uri)}>
          Copy S3 URI
        </button>{' '}
        {copied?.what === 'uri' && !copied.ok && (
          <input
            readOnly
            aria-label="S3 URI"
            value={s3Uri}
            onFocus={(e) => e.target.select()}
            ref={(el) => {
              el?.focus();
              el?.select();
            }}
          />
        )}
        <span role="status" data-testid="s3-uri-status">
          {feedback('uri').trim()}
        </span>
      </p>
    </div>
  );
}
