import { useQueryClient } from '@tanstack/react-query';
import { visibleName } from './visible-name.ts';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { pageSession } from '../api/session.ts';
import { ApiError } from '../transfer/upload/upload-api.ts';
import { DownloadPanel } from './download-panel.tsx';
import { folderFromSearch, folderHref } from './folder-url.ts';
import { depthState, entryDepth } from './history-depth.ts';
import { mayDiscardEdits } from './unsaved-edits.ts';
import { HealthBanner } from './health-banner.tsx';
import { InsecureNotice } from './insecure-notice.tsx';
import { ObjectBrowser } from './object-browser.tsx';
import { PageDrop } from './page-drop.tsx';
import { SignIn } from './sign-in.tsx';
import { SignOut } from './sign-out.tsx';
import { ObjectsShown, SkipToObjects } from './skip-to-objects.tsx';
import { UploadPanel } from './upload-panel.tsx';
import { useHealth } from './use-health.ts';
import { usePasteUpload } from './use-paste-upload.ts';
import { getUploadManager } from './use-upload-manager.ts';
import { TransferTitle } from './use-transfer-title.ts';
import { useObjectsChangedElsewhere } from './objects-changed.ts';
import { useSessionChangedElsewhere } from './session-changed.ts';

export function App() {
  const health = useHealth();
  const queryClient = useQueryClient();
  useObjectsChangedElsewhere();
  // The Hoist server answers and reaches its store. While the server cannot be reached TanStack keeps
  // the last answer in `data` (ok) beside the error: the error says it is away.
  const healthy = health.data?.ok === true && health.error === null;
  const wasUnhealthy = useRef(false);
  // When the store or the server comes back, everything that failed while it was away is fetched again
  // (not on the first healthy answer at load: the listing is being fetched then anyway).
  useEffect(() => {
    if (!health.data && !health.error) return;
    if (healthy && wasUnhealthy.current) void queryClient.invalidateQueries({ queryKey: ['objects'] });
    wasUnhealthy.current = !healthy;
  }, [health.data, health.error, healthy, queryClient]);
  // The folder the object browser shows (relative to the server's prefix) is where uploads go. The
  // URL holds it (`?prefix=`): this state only follows it, on opening a folder and on Back/Forward.
  const rootPrefix = health.data?.prefix ?? '';
  const [folder, setFolder] = useState(() => folderFromSearch(window.location.search));
  /** Where the entry shown stands among the page's own (history-depth.ts), and the folder it shows. */
  const depth = useRef(0);
  const shown = useRef(folder);
  useEffect(() => {
    // The entry the page opened at (or was reloaded at) is given its depth, if it has none yet.
    const opened = entryDepth(window.history.state);
    if (opened === null) window.history.replaceState(depthState(0), '');
    depth.current = opened ?? 0;
    let undoing = false;
    const onPopState = (event: PopStateEvent) => {
      const to = entryDepth(event.state);
      if (to === null) {
        // A new entry of the browser's own (a #fragment typed or followed): one further, same folder.
        depth.current += 1;
        window.history.replaceState(depthState(depth.current), '');
        return;
      }
      const next = folderFromSearch(window.location.search);
      if (undoing) {
        undoing = false;
        depth.current = to;
        return;
      }
      // Back and Forward ask first, as the page's own links do, when they would open another folder
      // and throw away what is typed in Edit properties; told no, the address goes back to the
      // folder shown.
      const distance = depth.current - to;
      if (next !== shown.current && distance !== 0 && !mayDiscardEdits()) {
        undoing = true;
        window.history.go(distance);
        return;
      }
      depth.current = to;
      shown.current = next;
      setFolder(next);
    };
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);
  const openFolder = (next: string) => {
    if (next === folderFromSearch(window.location.search)) return;
    depth.current += 1;
    window.history.pushState(depthState(depth.current), '', folderHref(window.location, next));
    shown.current = next;
    setFolder(next);
  };
  // Signed out: the health check is refused 401, or a transfer's call was (the engines then wait for
  // the session: `pageSession`). A health answer that gets through says the session is back (signed in
  // here or in another tab), and the transfers go on.
  const signedIn = useSyncExternalStore(pageSession.subscribe, pageSession.isSignedIn);
  useSessionChangedElsewhere();
  const refused = health.error instanceof ApiError && health.error.status === 401;
  useEffect(() => {
    if (refused) pageSession.signedOut();
    else if (health.isSuccess && health.error === null) pageSession.signedIn();
  }, [refused, health.isSuccess, health.error, health.dataUpdatedAt]);
  // A transfer refused first: the health check is asked at once, so the page agrees with it.
  useEffect(() => {
    if (!signedIn) void queryClient.refetchQueries({ queryKey: ['health'] });
  }, [signedIn, queryClient]);
  const locked = refused || !signedIn;
  // Files pasted on the page go where dropped ones do.
  usePasteUpload(locked ? null : folder);
  // Signed out, the upload list stays in view while it holds rows (without its box and pickers).
  const uploads = getUploadManager();
  const uploading = useSyncExternalStore(uploads.subscribe, () => uploads.getSnapshot().items.length > 0);
  const objectsShown = !locked && !!health.data;
  return (
    <ObjectsShown.Provider value={objectsShown}>
      <div className="app">
        <SkipToObjects />
        <header className="app-header">
          <h1>Hoist</h1>
          {health.data && (
            <span className="store-label">
              {health.data.store === 'embedded' ? 'Embedded store' : 'S3'} · bucket {health.data.bucket}
            </span>
          )}
          {!locked && health.data?.signInRequired && <SignOut />}
        </header>
        <main>
          {/* Files dropped anywhere go where the upload panel's box sends them (signed out: nowhere,
            but they still never replace the page). */}
          {/* The folder open names the tab too (each folder is its own address in the history). */}
          <TransferTitle base={folder === '' ? 'Hoist' : `${visibleName(folder)} · Hoist`} />
          <PageDrop rootPrefix={rootPrefix} folder={locked ? null : folder} />
          {/* Signed out, the transfers stay in view under the form: they wait for the session. */}
          {locked && <SignIn />}
          {!locked && (
            <>
              <InsecureNotice />
              <HealthBanner />
            </>
          )}
          {(!locked || uploading) && (
            <UploadPanel
              rootPrefix={rootPrefix}
              folder={folder}
              onFolderChange={openFolder}
              locked={locked}
            />
          )}
          <DownloadPanel />
          {objectsShown && health.data && (
            <ObjectBrowser
              rootPrefix={rootPrefix}
              bucket={health.data.bucket}
              versioning={health.data.versioning}
              folder={folder}
              onFolderChange={openFolder}
            />
          )}
        </main>
      </div>
    </ObjectsShown.Provider>
  );
}
