import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { ObjectDetails } from '../../../server/shared/api-types.ts';
import { editProperties } from '../api/objects.ts';
import { ApiError } from '../transfer/upload/upload-api.ts';
import { formFromDetails, parseEdit, shownProperties } from './edit-properties.ts';
import type { PropertiesForm } from './upload-settings.ts';
import { PropertyFields, useFieldProblems } from './property-fields.tsx';
import { TypingProblem } from './typing-problem.tsx';
import { useHealth } from './use-health.ts';
import { objectsChanged } from './objects-changed.ts';
import { versionsNote } from './versions-note.ts';
import { useUnsavedEdits } from './unsaved-edits.ts';
import { useLeaveWarning } from './use-leave-warning.ts';

const DISCARD_QUESTION = 'Discard the changes you typed in Edit properties?';

/**
 * "Edit properties" in an object's details, as the S3 console's Edit metadata and Edit tags: the
 * form starts as the object is; Save sets exactly what it shows (an emptied field is removed),
 * only on the version shown. `onDone(saved)` closes it.
 */
export function EditPropertiesForm(props: {
  details: ObjectDetails;
  onDone: (saved: boolean) => void;
  /** After Save and Cancel, on their line: the panel's own Close, one row of ways out. */
  after?: ReactNode;
}) {
  // What the form was filled from, kept: the details read again meanwhile (someone else's change) are
  // not what the user edited, and the server is told what they saw (a newer reading refills the form:
  // it is keyed by it).
  const [details] = useState(props.details);
  const [form, setForm] = useState<PropertiesForm>(() => formFromDetails(details));
  const [start] = useState(form);
  /** Something typed that Save has not sent: Escape asks before it is thrown away. */
  const edited = (Object.keys(start) as (keyof PropertiesForm)[]).some(
    (field) => form[field] !== start[field],
  );
  useUnsavedEdits(edited, DISCARD_QUESTION);
  useLeaveWarning(edited);
  const health = useHealth().data;
  const underscore = health?.metadataUnderscore;
  const versions = versionsNote(health?.versioning, 'edit');
  const parsed = parseEdit(form, details, underscore);
  const { invalid, problemId } = useFieldProblems(form, parsed.problem, underscore);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () => editProperties(details.key, details.etag, parsed.properties!, shownProperties(details)),
    onSuccess: () => {
      // A rewrite can change the ETag (a multipart object's becomes a single part's) and the date.
      void queryClient.invalidateQueries({ queryKey: ['details', details.key] });
      objectsChanged(queryClient);
      props.onDone(true);
    },
  });
  /** Written by someone else since it was shown: saving again cannot work until it is read again. */
  const changed = save.error instanceof ApiError && save.error.code === 'changed';
  return (
    <form
      className="edit-properties"
      aria-label="Edit properties"
      onSubmit={(e) => {
        e.preventDefault();
        if (parsed.properties) save.mutate();
      }}
      onKeyDown={(e) => {
        // Escape closes the details (use-escape.ts, which leaves a handled one alone): typed changes
        // were thrown away without a word.
        if (e.key !== 'Escape' || !edited || save.isPending) return;
        e.preventDefault();
        if (window.confirm(DISCARD_QUESTION)) props.onDone(false);
      }}
    >
      <PropertyFields
        form={form}
        onChange={(field, value) => {
          setForm({ ...form, [field]: value });
          save.reset();
        }}
        autoFocus
        tagsDisabled={details.tags === undefined}
        storageClasses={health?.storageClasses}
        ownStorageClass={details.storageClass ?? 'STANDARD'}
        invalid={invalid}
        problemId={problemId}
      />
      <p className="note">
        {details.tags === undefined ? 'The store does not let Hoist read this object’s tags. ' : ''}
        Type, headers, metadata and storage class are rewritten by copying the object onto itself inside the
        bucket (its bytes do not move through here; its date changes); tags alone are set directly.
      </p>
      {versions && (
        <p className="note" data-testid="versions-note">
          {versions}
        </p>
      )}
      <TypingProblem problem={parsed.problem} id={problemId} />
      {save.error &&
        (changed ? (
          <p role="alert">
            Not saved: {save.error.message}{' '}
            <button
              type="button"
              onClick={() => {
                void queryClient.invalidateQueries({ queryKey: ['details', details.key] });
                objectsChanged(queryClient);
              }}
            >
              Show it as it is now
            </button>
          </p>
        ) : (
          <p role="alert">Could not save: {save.error.message}</p>
        ))}
      <button type="submit" disabled={!parsed.properties || save.isPending || changed}>
        {save.isPending ? 'Saving…' : 'Save'}
      </button>{' '}
      <button type="button" onClick={() => props.onDone(false)}>
        Cancel
      </button>{' '}
      {props.after}
    </form>
  );
}
