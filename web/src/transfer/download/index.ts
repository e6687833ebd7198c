export { DownloadManager, DEFAULT_DOWNLOAD_OPTIONS } from './download-manager.ts';
export type { DownloadManagerOptions, ExistingChoice } from './download-manager.ts';
export type { DownloadApi, DownloadRequest } from './download-api.ts';
export type {
  DownloadItem,
  DownloadSnapshot,
  DownloadStatus,
  DownloadTotals,
  HoldingError,
} from './download-state.ts';
export { canRetryDownload } from './download-state.ts';
export { DownloadError } from './errors.ts';
export type { DownloadErrorCode, DownloadErrorInfo } from './errors.ts';
export type { Destination, DestinationFile, FolderOverlap } from './destination.ts';
export { MemoryDestination } from './memory-destination.ts';
export {
  createFileSystemDestination,
  pickDownloadFolder,
  supportsDirectoryPicker,
} from './fs-access-destination.ts';
export { keyToRelativePath, planRelativePaths } from './key-to-relative-path.ts';
export { BrowserDownloadFallback } from './browser-download-fallback.ts';
export type { FallbackResult, TriggerDownload } from './browser-download-fallback.ts';
export { downloadInBrowser } from './browser-download.ts';
export type { FetchLike } from './range-transport.ts';
