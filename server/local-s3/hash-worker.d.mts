/** Types of hash-worker.mjs (plain JavaScript, so that the worker needs no loader). */
export declare function md5LastBlocks(rest: Uint8Array, totalLength: number): Uint8Array;
export declare class Md5Lanes {
  constructor(wasm: Uint8Array, o?: { laneBytes?: number });
  static supported(wasm: Uint8Array): boolean;
  open(id: number): void;
  update(id: number, bytes: Uint8Array, done: () => void): void;
  pump(force?: boolean): boolean;
  digest(id: number): string;
  drop(id: number): void;
}
