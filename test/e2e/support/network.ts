import type { Page, Request } from '@playwright/test';

/** Limits the page's upload and download speed with Chromium's own network emulation. */
export async function throttle(
  page: Page,
  bytesPerSecond: { up: number; down?: number; latencyMs?: number },
) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: bytesPerSecond.latencyMs ?? 0,
    uploadThroughput: bytesPerSecond.up,
    downloadThroughput: bytesPerSecond.down ?? -1,
  });
  return async () => {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      uploadThroughput: -1,
      downloadThroughput: -1,
    });
  };
}

/** Watches the requests the page sends to the store: how many, which are still running. */
export function watchStoreRequests(page: Page, storeOrigin: string) {
  const inFlight = new Set<Request>();
  const started: Request[] = [];
  const isStore = (r: Request) => r.url().startsWith(storeOrigin) && r.method() !== 'OPTIONS';
  page.on('request', (r) => {
    if (!isStore(r)) return;
    inFlight.add(r);
    started.push(r);
  });
  const done = (r: Request) => inFlight.delete(r);
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return {
    inFlight: () => [...inFlight],
    started: () => [...started],
    partPuts: () =>
      started
        .filter((r) => r.method() === 'PUT')
        .map((r) => Number(new URL(r.url()).searchParams.get('partNumber') ?? 1)),
  };
}
