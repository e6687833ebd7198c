import type { Ref } from 'react';
import { collapseCrumbs, type Crumb } from './breadcrumbs.ts';
import { FolderLink } from './folder-link.tsx';

/**
 * The path of the folder shown, each level a link (`hrefOf` its prefix) that opens it; a long path keeps its first and
 * last levels and folds the middle into "…" (its title names them). The last level is the folder
 * itself (`here`): where focus goes when what had it is gone.
 */
export function FolderBreadcrumbs(props: {
  crumbs: Crumb[];
  here: Ref<HTMLSpanElement>;
  hrefOf: (prefix: string) => string;
  onOpen: (prefix: string) => void;
}) {
  const { crumbs } = props;
  return (
    <nav aria-label="Folder" className="breadcrumbs" title={crumbs.map((c) => c.label).join(' / ')}>
      {collapseCrumbs(crumbs).map((c, i, shown) => (
        <span key={'gap' in c ? 'gap' : c.prefix}>
          {i > 0 && ' / '}
          {'gap' in c ? (
            <span className="crumb-gap" title={c.gap.map((g) => g.label).join(' / ')}>
              …
            </span>
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
