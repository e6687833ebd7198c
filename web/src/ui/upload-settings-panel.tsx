import { useEffect, useRef, useSyncExternalStore } from 'react';
import { settingsSummary } from './upload-settings.ts';
import { PropertyFields, useFieldProblems } from './property-fields.tsx';
import { uploadSettings } from './upload-settings-store.ts';
import { TypingProblem } from './typing-problem.tsx';
import { useHealth } from './use-health.ts';
import { formatCount } from './format.ts';

/**
 * "Upload settings": what files added from now on set on their objects, as the S3 console's upload
 * Properties and `aws s3 cp --content-type --cache-control --metadata` do. Closed until wanted; it
 * opens by itself when files were not added because of a problem in it.
 */
export function UploadSettingsPanel() {
  const { form, parsed, refusals, refusedNow, waiting } = useSyncExternalStore(
    uploadSettings.subscribe,
    uploadSettings.getSnapshot,
  );
  const health = useHealth().data;
  const underscore = health?.metadataUnderscore;
  useEffect(() => {
    if (underscore) uploadSettings.setMetadataUnderscore(underscore);
  }, [underscore]);
  const details = useRef<HTMLDetailsElement>(null);
  const seenRefusals = useRef(refusals);
  useEffect(() => {
    if (refusals === seenRefusals.current) return;
    seenRefusals.current = refusals;
    if (details.current) details.current.open = true;
  }, [refusals]);
  const summary = settingsSummary(parsed.properties);
  const { invalid, problemId } = useFieldProblems(form, parsed.problem, underscore);
  return (
    <details className="upload-settings" ref={details} data-testid="upload-settings">
      <summary>
        Upload settings
        {summary && <span className="note"> · files added now get: {summary}</span>}
        {parsed.problem && <span className="error"> · needs a fix</span>}
      </summary>
      <PropertyFields
        form={form}
        onChange={(field, value) => uploadSettings.setForm({ ...form, [field]: value })}
        typePlaceholder="from each file's name"
        storageClasses={health?.storageClasses}
        invalid={invalid}
        problemId={problemId}
      />
      <TypingProblem
        id={problemId}
        problem={parsed.problem}
        prefix={refusedNow ? 'Files were not added yet: ' : ''}
        urgent={refusedNow}
        testId="upload-settings-problem"
      />
      {waiting > 0 && (
        <div className="panel-row waiting-files" role="group" aria-label="Files waiting for the settings">
          <p className="note" data-testid="waiting-files">
            {formatCount(waiting)} {waiting === 1 ? 'file waits' : 'files wait'}{' '}
            {parsed.problem ? 'for the fix above.' : 'to be added with these settings.'}
          </p>
          <button
            type="button"
            disabled={parsed.problem !== null}
            onClick={() => uploadSettings.addWaiting()}
          >
            Add {waiting === 1 ? 'it' : `the ${formatCount(waiting)} files`}
          </button>
          <button type="button" onClick={() => uploadSettings.discardWaiting()}>
            Let {waiting === 1 ? 'it' : 'them'} go
          </button>
        </div>
      )}
    </details>
  );
}
