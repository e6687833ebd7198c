import type { SortKey } from './sort-entries.ts';

const CHOICES: { key: SortKey; dir: 1 | -1; text: string }[] = [
  { key: 'name', dir: 1, text: 'Name (A to Z)' },
  { key: 'name', dir: -1, text: 'Name (Z to A)' },
  { key: 'size', dir: 1, text: 'Size (smallest first)' },
  { key: 'size', dir: -1, text: 'Size (largest first)' },
  { key: 'modified', dir: -1, text: 'Last modified (newest first)' },
  { key: 'modified', dir: 1, text: 'Last modified (oldest first)' },
];

/**
 * "Sort by", for a list too narrow for its "Last modified" column (a phone, a 400 % zoom): the
 * column headers' sorts as one list, so sorting by date stays possible there.
 */
export function NarrowSort(props: {
  sort: { key: SortKey; dir: 1 | -1 };
  onSort: (key: SortKey, dir: 1 | -1) => void;
}) {
  const value = `${props.sort.key} ${props.sort.dir}`;
  return (
    <label className="narrow-sort">
      Sort by{' '}
      <select
        value={value}
        onChange={(e) => {
          const choice = CHOICES.find((c) => `${c.key} ${c.dir}` === e.target.value);
          if (choice) props.onSort(choice.key, choice.dir);
        }}
      >
        {CHOICES.map((c) => (
          <option key={`${c.key} ${c.dir}`} value={`${c.key} ${c.dir}`}>
            {c.text}
          </option>
        ))}
      </select>
    </label>
  );
}
