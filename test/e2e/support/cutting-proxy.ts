import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the store that can break a download's connection midway, as a dropped Wi-Fi
 * or a reset by a middlebox would: the real browser sees its response end early. It counts the bytes
 * sent back on connections whose latest request is a GET of `path`, so a test can tell how much of an
 * object went over the wire.
 */
export interface CuttingProxy {
  endpoint: string;
  /** Breaks the next `times` GET responses for `path` after `afterBytes` bytes of each. */
  cut(path: string, afterBytes: number, times?: number): void;
  /** Bytes sent to the browser in answer to GETs of `path`, headers included. */
  bytesServed(path: string): number;
  close(): Promise<void>;
}

export async function startCuttingProxy(upstream: string): Promise<CuttingProxy> {
  const target = new URL(upstream);
  const served = new Map<string, number>();
  let plan: { path: string; afterBytes: number; times: number } | null = null;
  const sockets = new Set<Socket>();

  const server = createServer((client) => {
    const store = createConnection({ host: target.hostname, port: Number(target.port) });
    sockets.add(client).add(store);
    /** The path of the GET this connection carries now, and the bytes answered since it was sent. */
    let current: { path: string; sent: number; cutAt: number | null } | null = null;
    let broken = false;
    client.on('data', (chunk: Buffer) => {
      const line = /^([A-Z]+) (\S+) HTTP\/1\.1\r\n/.exec(chunk.toString('latin1', 0, 2048));
      if (line) {
        const path = decodeURIComponent(new URL(line[2]!, 'http://x').pathname);
        const cutting = line[1] === 'GET' && plan !== null && plan.path === path && plan.times > 0;
        if (cutting) plan!.times--;
        current = line[1] === 'GET' ? { path, sent: 0, cutAt: cutting ? plan!.afterBytes : null } : null;
      }
      store.write(chunk);
    });
    store.on('data', (chunk: Buffer) => {
      if (broken) return;
      if (!current) return void client.write(chunk);
      const { path, cutAt } = current;
      if (cutAt !== null && current.sent + chunk.byteLength >= cutAt) {
        const part = chunk.subarray(0, cutAt - current.sent);
        served.set(path, (served.get(path) ?? 0) + part.byteLength);
        broken = true;
        client.write(part, () => {
          client.destroy();
          store.destroy();
        });
        return;
      }
      current.sent += chunk.byteLength;
      served.set(path, (served.get(path) ?? 0) + chunk.byteLength);
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      store.destroy();
      sockets.delete(client);
      sockets.delete(store);
    };
    client.on('close', end).on('error', end);
    store.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');

  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    cut(path, afterBytes, times = 1) {
      plan = { path, afterBytes, times };
    },
    bytesServed: (path) => served.get(path) ?? 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
