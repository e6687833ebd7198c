import { useEffect, useRef, useSyncExternalStore } from 'react';
import { settingsSummary, type UploadSettingsForm } from './upload-settings.ts';
import { uploadSettings } from './upload-settings-store.ts';

/**
 * "Upload settings": what files added from now on set on their objects, as the S3 console's upload
 * Properties and `aws s3 cp --content-type --cache-control --metadata` do. Closed until wanted; it
 * opens by itself when files were not added because of a problem in it.
 */
export function UploadSettingsPanel() {
  const { form, parsed, refusals, refusedNow } = useSyncExternalStore(
    uploadSettings.subscribe,
    uploadSettings.getSnapshot,
  );
  const details = useRef<HTMLDetailsElement>(null);
  const seenRefusals = useRef(refusals);
  useEffect(() => {
    if (refusals === seenRefusals.current) return;
    seenRefusals.current = refusals;
    if (details.current) details.current.open = true;
  }, [refusals]);
  const set = (field: keyof UploadSettingsForm) => (e: { target: { value: string } }) =>
    uploadSettings.setForm({ ...form, [field]: e.target.value });
  const summary = settingsSummary(parsed.properties);
  return (
    <details className="upload-settings" ref={details} data-testid="upload-settings">
      <summary>
        Upload settings
        {summary && <span className="note"> · files added now get: {summary}</span>}
        {parsed.problem && <span className="error"> · needs a fix</span>}
      </summary>
      <div className="settings-grid">
        <label>
          Content type
          <input
            value={form.contentType}
            onChange={set('contentType')}
            placeholder="from each file's name"
            spellCheck={false}
          />
        </label>
        <label>
          Cache-Control
          <input
            value={form.cacheControl}
            onChange={set('cacheControl')}
            placeholder="max-age=3600"
            spellCheck={false}
          />
        </label>
        <label>
          Metadata <span className="note">(one “name: value” a line, stored as x-amz-meta-name)</span>
          <textarea value={form.metadata} onChange={set('metadata')} rows={2} spellCheck={false} />
        </label>
        <label>
          Tags <span className="note">(one “key=value” a line, up to 10)</span>
          <textarea value={form.tags} onChange={set('tags')} rows={2} spellCheck={false} />
        </label>
      </div>
      {parsed.problem && (
        <p className="error" role="alert" data-testid="upload-settings-problem">
          {refusedNow ? 'Files were not added: ' : ''}
          {parsed.problem}
        </p>
      )}
    </details>
  );
}
