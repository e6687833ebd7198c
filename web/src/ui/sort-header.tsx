/** A column header that sorts the table: click for ascending, again for descending. */
export function SortHeader(props: {
  text: string;
  /** 1 ascending, -1 descending, null when the table is sorted by another column. */
  direction: 1 | -1 | null;
  onSort: () => void;
}) {
  const { direction } = props;
  return (
    <th aria-sort={direction === null ? 'none' : direction === 1 ? 'ascending' : 'descending'}>
      <button type="button" className="sort-button" onClick={props.onSort}>
        {props.text}
      </button>
      {direction !== null && (
        <span aria-hidden="true" className="sort-arrow">
          {direction === 1 ? ' ▲' : ' ▼'}
        </span>
      )}
    </th>
  );
}
