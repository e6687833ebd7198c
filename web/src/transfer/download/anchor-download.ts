/**
 * The one piece of DOM in the download engine: hands a URL to the browser's download manager by
 * clicking a hidden `<a download>`. Injected into `downloadViaBrowser` so the engine stays DOM-free.
 * The presigned URL carries `response-content-disposition: attachment; filename=…`, which is what
 * names the file for a cross-origin URL (the `download` attribute only counts on the same origin).
 */
export function anchorDownload(url: string, filename: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
}
