import { useState, type Ref } from 'react';
import { collapseCrumbs, type Crumb } from './breadcrumbs.ts';
import { FolderLink } from './folder-link.tsx';

/**
 * The path of the folder shown, each level a link (`hrefOf` its prefix) that opens it; a long path keeps its first and
 * last levels and folds the middle into "…", a button that unfolds them (a title alone is nothing on a
 * touch screen). The last level is the folder itself (`here`): where focus goes when what had it is gone.
 */
export function FolderBreadcrumbs(props: {
  crumbs: Crumb[];
  here: Ref<HTMLSpanElement>;
  hrefOf: (prefix: string) => string;
  onOpen: (prefix: string) => void;
}) {
  const { crumbs } = props;
  const path = crumbs.map((c) => c.label).join(' / ');
  // Unfolded for this path only: another folder opened folds again.
  const [unfolded, setUnfolded] = useState<string | null>(null);
  const shownCrumbs = unfolded === path ? crumbs : collapseCrumbs(crumbs);
  return (
    <nav aria-label="Folder" className="breadcrumbs" title={path}>
      {shownCrumbs.map((c, i, shown) => (
        <span key={'gap' in c ? 'gap' : c.prefix}>
          {i > 0 && ' / '}
          {'gap' in c ? (
            <button
              type="button"
              className="crumb-gap"
              title={c.gap.map((g) => g.label).join(' / ')}
              aria-label={`Show the ${c.gap.length} folders between: ${c.gap.map((g) => g.label).join(' / ')}`}
              onClick={() => setUnfolded(path)}
            >
              …
            </button>
          ) : i === shown.length - 1 ? (
            <span aria-current="page" tabIndex={-1} ref={props.here}>
              {c.label}
            </span>
          ) : (
            <FolderLink href={props.hrefOf(c.prefix)} onOpen={() => props.onOpen(c.prefix)}>
              {c.label}
            </FolderLink>
          )}
        </span>
      ))}
    </nav>
  );
}
