import { EDITABLE_HEADERS } from '../../../server/shared/object-properties.ts';
import { ARCHIVE_STORAGE_CLASSES, storageClassLabel } from '../../../server/shared/storage-classes.ts';
import { useId, useMemo } from 'react';
import type { MetadataUnderscore } from '../../../server/shared/api-types.ts';
import { invalidFields, type PropertiesForm } from './upload-settings.ts';

/**
 * What PropertyFields and the TypingProblem line under them share: the fields with a problem (none
 * while the form as a whole has none) and the id of the line that says it.
 */
export function useFieldProblems(
  form: PropertiesForm,
  problem: string | null,
  underscore: MetadataUnderscore | undefined,
): { invalid: ReadonlySet<keyof PropertiesForm> | undefined; problemId: string } {
  const problemId = useId();
  const invalid = useMemo(
    () => (problem === null ? undefined : invalidFields(form, underscore)),
    [form, problem, underscore],
  );
  return { invalid, problemId };
}

/**
 * The fields of an object's properties (content type, Cache-Control, Content-Disposition, -Encoding,
 * -Language, metadata, tags, storage class) as typed: the upload settings and an object's "Edit properties" share
 * them.
 */
export function PropertyFields(props: {
  form: PropertiesForm;
  onChange: (field: keyof PropertiesForm, value: string) => void;
  /** What an empty content type means, shown in the empty field. */
  typePlaceholder?: string;
  autoFocus?: boolean;
  /** The tags cannot be read or written here (the store would not say). */
  tagsDisabled?: boolean;
  /** Fields with a problem: marked invalid, and described by the line `problemId` that says it. */
  invalid?: ReadonlySet<keyof PropertiesForm>;
  problemId?: string;
  /** The storage classes the server offers (its health report); no choice is shown for one or none. */
  storageClasses?: readonly string[];
  /** The object's own class ("Edit properties"): offered too, if the server does not offer it. */
  ownStorageClass?: string;
}) {
  const { form } = props;
  const set = (field: keyof PropertiesForm) => (e: { target: { value: string } }) =>
    props.onChange(field, e.target.value);
  /** What a field says of itself to assistive technology: invalid, and where the problem is said. */
  const state = (field: keyof PropertiesForm) =>
    props.invalid?.has(field)
      ? {
          'aria-invalid': true,
          ...(props.problemId !== undefined && { 'aria-describedby': props.problemId }),
        }
      : {};
  return (
    <div className="settings-grid">
      <label>
        Content type
        <input
          value={form.contentType}
          onChange={set('contentType')}
          {...state('contentType')}
          placeholder={props.typePlaceholder}
          spellCheck={false}
          autoFocus={props.autoFocus}
        />
      </label>
      <label>
        Cache-Control
        <input
          value={form.cacheControl}
          onChange={set('cacheControl')}
          {...state('cacheControl')}
          placeholder="max-age=3600"
          spellCheck={false}
        />
      </label>
      {EDITABLE_HEADERS.map(([field, label, , example]) => (
        <label key={field}>
          {label}
          <input
            value={form[field]}
            onChange={set(field)}
            placeholder={example}
            spellCheck={false}
            {...state(field)}
          />
        </label>
      ))}
      <label>
        Metadata <span className="note">(one “name: value” a line, stored as x-amz-meta-name)</span>
        <textarea
          value={form.metadata}
          onChange={set('metadata')}
          rows={2}
          spellCheck={false}
          {...state('metadata')}
        />
      </label>
      <label>
        Tags <span className="note">(one “key=value” a line, up to 10)</span>
        <textarea
          value={form.tags}
          onChange={set('tags')}
          {...state('tags')}
          rows={2}
          spellCheck={false}
          disabled={props.tagsDisabled}
        />
      </label>
      <StorageClassField
        value={form.storageClass}
        offered={props.storageClasses ?? []}
        own={props.ownStorageClass}
        onChange={(value) => props.onChange('storageClass', value)}
      />
    </div>
  );
}

/**
 * The storage class, as the S3 console's upload Properties and "Edit storage class" offer it: the
 * server's list, in its order, then the object's own class if that is not among them (an object
 * another tool put in a class of its own keeps it unless another is picked). The order never changes
 * with the pick, so the arrow keys step through every class. Nothing to pick: not shown.
 */
function StorageClassField(props: {
  value: string;
  offered: readonly string[];
  own: string | undefined;
  onChange: (value: string) => void;
}) {
  const value = props.value || 'STANDARD';
  const options = [...new Set([...props.offered, ...(props.own ? [props.own] : []), value])];
  if (options.length < 2) return null;
  return (
    <label>
      Storage class
      <select value={value} onChange={(e) => props.onChange(e.target.value)}>
        {options.map((c) => (
          <option key={c} value={c}>
            {storageClassLabel(c)}
          </option>
        ))}
      </select>
      {ARCHIVE_STORAGE_CLASSES.includes(value) && (
        <span className="note">
          Objects in {storageClassLabel(value)} must be restored before they can be downloaded.
        </span>
      )}
    </label>
  );
}
