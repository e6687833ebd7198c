/**
 * `UploadJournal` in IndexedDB (raw API, no dependency): one object store keyed by uploadId with an
 * index on the cheap fingerprint. Holds no bytes, only what a resume needs.
 */
import type { UploadJournal, UploadRecord } from './journal.ts';

const STORE = 'uploads';
const BY_FINGERPRINT = 'fingerprint';

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export interface IndexedDbJournalOptions {
  name?: string;
  indexedDB?: IDBFactory;
}

export function createIndexedDbJournal(options: IndexedDbJournalOptions = {}): UploadJournal {
  const name = options.name ?? 'hoist-uploads';
  const factory = options.indexedDB ?? globalThis.indexedDB;
  let opened: Promise<IDBDatabase> | null = null;
  const open = (): Promise<IDBDatabase> => {
    opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(name, 1);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(STORE, { keyPath: 'id' });
        store.createIndex(BY_FINGERPRINT, 'fingerprint', { unique: false });
      };
      request.onsuccess = () => {
        const db = request.result;
        // Another tab upgrading the schema: step aside.
        db.onversionchange = () => {
          db.close();
          opened = null;
        };
        // Closed by the browser (site data cleared, Safari's lost IndexedDB server): opened anew.
        db.onclose = () => {
          opened = null;
        };
        resolve(db);
      };
      request.onerror = () => {
        opened = null;
        reject(request.error ?? new Error('IndexedDB could not be opened'));
      };
    });
    return opened;
  };
  /**
   * A transaction on the store. A failed open (no IndexedDB, blocked storage) or a connection that can
   * no longer start one (closing) is not kept: the next call opens anew.
   */
  const transaction = async (mode: IDBTransactionMode): Promise<IDBTransaction> => {
    const opening = open();
    try {
      return (await opening).transaction(STORE, mode);
    } catch (error) {
      if (opened === opening) opened = null; // not a newer open begun meanwhile
      throw error;
    }
  };

  return {
    async put(record) {
      const tx = await transaction('readwrite');
      tx.objectStore(STORE).put(record);
      await done(tx);
    },
    async get(fingerprint) {
      const tx = await transaction('readonly');
      const records = await promised<UploadRecord[]>(
        tx.objectStore(STORE).index(BY_FINGERPRINT).getAll(fingerprint),
      );
      return records.sort((a, b) => b.updatedAt - a.updatedAt)[0];
    },
    async list() {
      const tx = await transaction('readonly');
      const records = await promised<UploadRecord[]>(tx.objectStore(STORE).getAll());
      return records.sort((a, b) => a.createdAt - b.createdAt);
    },
    async delete(id) {
      const tx = await transaction('readwrite');
      tx.objectStore(STORE).delete(id);
      await done(tx);
    },
  };
}
