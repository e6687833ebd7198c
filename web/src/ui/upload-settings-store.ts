/**
 * The page's upload settings (one for the upload card and drops anywhere on the page): what files
 * added from now on set on their objects. An external store for `useSyncExternalStore`.
 */
import type { MetadataUnderscore } from '../../../server/shared/api-types.ts';
import type { UploadFileInput, UploadManager } from '../transfer/upload/index.ts';
import { intoFolder } from './upload-folder.ts';
import { createValueStore } from './value-store.ts';
import {
  EMPTY_SETTINGS,
  parseSettings,
  type ParsedSettings,
  type PropertiesForm,
} from './upload-settings.ts';

export interface UploadSettingsState {
  form: PropertiesForm;
  parsed: ParsedSettings;
  /** How many times files were not added because the settings had a problem (the card opens). */
  refusals: number;
  /** Files were not added (they wait) since the form last changed: the card says so beside the problem. */
  refusedNow: boolean;
  /** Files picked while the settings had a problem, kept to be added once it is fixed (`addWaiting`). */
  waiting: number;
  /** What the store does with "_" in metadata names, from the health report. */
  metadataUnderscore: MetadataUnderscore;
}

const store = createValueStore<UploadSettingsState>({
  form: EMPTY_SETTINGS,
  parsed: parseSettings(EMPTY_SETTINGS),
  refusals: 0,
  refusedNow: false,
  waiting: 0,
  metadataUnderscore: 'kept',
});
const setState = store.set;

/**
 * What was picked while the settings had a problem, where it was to go: kept rather than dropped, so
 * a folder of thousands of files need not be found and dropped again after the fix (WCAG 3.3.7). They
 * are added when asked (`addWaiting`), not as the fix is typed: half a line of metadata is valid too.
 */
interface WaitingBatch {
  manager: UploadManager;
  folder: string;
  files: UploadFileInput[];
  o: { unreadable?: readonly string[] };
}
let held: WaitingBatch[] = [];

export const uploadSettings = {
  subscribe: store.subscribe,
  getSnapshot: store.get,
  setForm(form: PropertiesForm): void {
    const state = store.get();
    setState({ ...state, form, parsed: parseSettings(form, state.metadataUnderscore), refusedNow: false });
  },
  /** The store's way with "_" in metadata names, as the health report tells it: the form is checked again. */
  setMetadataUnderscore(metadataUnderscore: MetadataUnderscore): void {
    const state = store.get();
    if (metadataUnderscore === state.metadataUnderscore) return;
    setState({ ...state, metadataUnderscore, parsed: parseSettings(state.form, metadataUnderscore) });
  },
  /**
   * The files with the settings' properties, or null when the settings have a problem: no file is
   * added with settings other than those the form shows (nor silently without them).
   */
  apply(files: UploadFileInput[]): UploadFileInput[] | null {
    const state = store.get();
    const { properties, problem } = state.parsed;
    if (problem) {
      setState({ ...state, refusals: state.refusals + 1, refusedNow: true });
      return null;
    }
    return properties ? files.map((f) => ({ ...f, properties })) : files;
  },
  /** Adds the files kept while the settings had a problem, with the settings now (none while one is left). */
  addWaiting(): void {
    if (store.get().parsed.problem) return;
    const batches = held;
    held = [];
    setState({ ...store.get(), waiting: 0, refusedNow: false });
    for (const b of batches) addUploads(b.manager, b.folder, b.files, b.o);
  },
  /** Lets the kept files go. */
  discardWaiting(): void {
    held = [];
    setState({ ...store.get(), waiting: 0, refusedNow: false });
  },
};

/**
 * Adds picked or dropped files to the queue, into `folder`, with the upload settings (while the
 * settings need a fix: none yet, kept until they are added or let go, and the card says so). The
 * upload card and page-wide drops both add here.
 */
export function addUploads(
  manager: UploadManager,
  folder: string,
  files: UploadFileInput[],
  o: { unreadable?: readonly string[] } = {},
): void {
  const withSettings = uploadSettings.apply(files);
  if (withSettings) {
    manager.add(
      withSettings.map((f) => intoFolder(folder, f)),
      o,
    );
    return;
  }
  if (files.length === 0) return;
  held.push({ manager, folder, files, o });
  setState({ ...store.get(), waiting: store.get().waiting + files.length });
}
