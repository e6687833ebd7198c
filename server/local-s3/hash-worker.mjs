// Hash worker of the embedded store (started by hash-pool.ts). Plain JavaScript so that it runs the same
// under tsx, Vitest and plain node, with no loader.
//
// MD5 runs four bodies at a time through the multi-buffer module of md5x4-wasm.ts (`Md5Lanes` below);
// SHA-1 / SHA-256 (only when a client asks for them) use node:crypto. Without WebAssembly SIMD, MD5 falls
// back to node:crypto too.
//
// Messages: { op: 'open', job, algorithms } · { op: 'update', id, job, sab, length } (answered once the
// worker no longer needs the slot) · { op: 'digest', id, job } → { id, digests } (hex, in the order of
// `algorithms`) · { op: 'drop', job } · { op: 'count', id } → { id, count }. Errors: { id, error }.
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

const STATE = 0; // 4 × v128: A, B, C, D; lane i of each is stream i
const TAIL = 64; // 128 bytes: the padded last block(s) of a stream
const LANES = 4096; // 4 lane buffers from here
const INIT = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];

/**
 * The last block(s) of an MD5 input: the bytes after the last whole block, 0x80, zeros, then the total
 * length in bits as a 64-bit little-endian number.
 */
export function md5LastBlocks(rest, totalLength) {
  const out = new Uint8Array(rest.length + 9 <= 64 ? 64 : 128);
  out.set(rest);
  out[rest.length] = 0x80;
  const view = new DataView(out.buffer, out.length - 8, 8);
  view.setUint32(0, (totalLength * 8) >>> 0, true);
  view.setUint32(4, Math.floor(totalLength / 0x20000000) >>> 0, true);
  return out;
}

/**
 * MD5 of many streams, computed four at a time. Bytes handed to `update` are not copied until they are
 * hashed; `done` is called once they no longer need to be kept. Streams are hashed in whole 64-byte
 * blocks; `pump` runs the blocks that are ready. Without `force` it waits (returns false) while fewer
 * streams have blocks ready than could share a run (up to four), so that one run serves several
 * streams; a stream holding two or more updates, or being digested, is never kept waiting.
 */
export class Md5Lanes {
  /** @param {Uint8Array} wasm the bytes of md5x4Module() @param {{ laneBytes?: number }} [o] */
  constructor(wasm, o = {}) {
    // Whole blocks only: a lane buffer holds a whole number of 64-byte blocks.
    this.laneBytes = Math.max(64, Math.floor((o.laneBytes ?? 256 * 1024) / 64) * 64);
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(wasm));
    this.md5x4 = exports.md5x4;
    const needed = LANES + 4 * this.laneBytes;
    exports.memory.grow(Math.ceil(needed / 65536));
    this.memory = new Uint8Array(exports.memory.buffer);
    this.words = new Uint32Array(exports.memory.buffer);
    /** @type {Map<number, { state: number[]; length: number; queue: { bytes: Uint8Array; at: number; done: () => void }[]; queued: number; carry: Uint8Array; carried: number }>} */
    this.streams = new Map();
  }

  /** Whether this runtime can run the module (WebAssembly SIMD). */
  static supported(wasm) {
    return typeof WebAssembly === 'object' && WebAssembly.validate(wasm);
  }

  open(id) {
    this.streams.set(id, {
      state: [...INIT],
      length: 0,
      queue: [],
      queued: 0,
      carry: new Uint8Array(64),
      carried: 0,
    });
  }

  update(id, bytes, done) {
    const s = this.#stream(id);
    s.length += bytes.length;
    s.queue.push({ bytes, at: 0, done });
    s.queued += bytes.length;
    this.#settle(s);
  }

  /** Runs the blocks that are ready; true when none is left waiting. */
  pump(force = false) {
    for (;;) {
      const ready = [...this.streams.values()].filter((s) => this.#blocks(s) > 0);
      if (ready.length === 0) return true;
      const urgent = ready.some((s) => s.queue.length >= 2);
      if (!force && !urgent && ready.length < Math.min(4, this.streams.size)) return false;
      this.#run(ready.slice(0, 4));
    }
  }

  /** Hex MD5 of everything given to `update`; ends the stream. */
  digest(id) {
    const s = this.#stream(id);
    while (this.#blocks(s) > 0) {
      const others = [...this.streams.values()].filter((o) => o !== s && this.#blocks(o) > 0);
      this.#run([s, ...others.slice(0, 3)]);
    }
    const last = md5LastBlocks(s.carry.subarray(0, s.carried), s.length);
    this.memory.set(last, TAIL);
    const blocks = last.length / 64;
    this.#call([s], [TAIL], blocks);
    this.streams.delete(id);
    const out = new Uint8Array(16);
    const dv = new DataView(out.buffer);
    s.state.forEach((w, i) => dv.setUint32(4 * i, w, true));
    return Buffer.from(out).toString('hex');
  }

  /** Forgets the stream; whatever it still held is released. */
  drop(id) {
    const s = this.streams.get(id);
    if (!s) return;
    this.streams.delete(id);
    for (const entry of s.queue) entry.done();
  }

  #stream(id) {
    const s = this.streams.get(id);
    if (!s) throw new Error('unknown hash job');
    return s;
  }

  #blocks(s) {
    return Math.floor((s.carried + s.queued) / 64);
  }

  /** Fewer than 64 bytes left: they go to the carry, so no update is held for a partial block. */
  #settle(s) {
    if (s.carried + s.queued >= 64) return;
    for (const entry of s.queue.splice(0)) {
      s.carry.set(entry.bytes.subarray(entry.at), s.carried);
      s.carried += entry.bytes.length - entry.at;
      entry.done();
    }
    s.queued = 0;
  }

  /** One run of the module over 1–4 streams, as many blocks as all of them have (up to a lane buffer). */
  #run(streams) {
    const blocks = Math.min(this.laneBytes / 64, ...streams.map((s) => this.#blocks(s)));
    const pointers = streams.map((s, lane) => {
      const at = LANES + lane * this.laneBytes;
      this.#take(s, blocks * 64, at);
      return at;
    });
    this.#call(streams, pointers, blocks);
    for (const s of streams) this.#settle(s);
  }

  /** Copies the next `n` bytes of the stream to memory at `at`, releasing updates as they are used up. */
  #take(s, n, at) {
    let offset = 0;
    if (s.carried > 0) {
      this.memory.set(s.carry.subarray(0, s.carried), at);
      offset = s.carried;
      s.carried = 0;
    }
    while (offset < n) {
      const entry = s.queue[0];
      const count = Math.min(n - offset, entry.bytes.length - entry.at);
      this.memory.set(entry.bytes.subarray(entry.at, entry.at + count), at + offset);
      entry.at += count;
      offset += count;
      s.queued -= count;
      if (entry.at === entry.bytes.length) {
        s.queue.shift();
        entry.done();
      }
    }
  }

  /** Loads the streams' states into the lanes, runs, and stores them back; unused lanes re-read lane 0. */
  #call(streams, pointers, blocks) {
    for (let lane = 0; lane < 4; lane++) {
      const state = streams[lane]?.state ?? INIT;
      for (let w = 0; w < 4; w++) this.words[(STATE >> 2) + w * 4 + lane] = state[w];
    }
    this.md5x4(
      STATE,
      pointers[0],
      pointers[1] ?? pointers[0],
      pointers[2] ?? pointers[0],
      pointers[3] ?? pointers[0],
      blocks,
    );
    streams.forEach((s, lane) => {
      for (let w = 0; w < 4; w++) s.state[w] = this.words[(STATE >> 2) + w * 4 + lane];
    });
  }
}

// ---- the worker ----

/** How long a ready stream may wait for others to share a run. */
const WAIT_MS = 5;

function serve(port, wasm) {
  const lanes = wasm && Md5Lanes.supported(wasm) ? new Md5Lanes(wasm) : undefined;
  /** job id -> { hashes: Hash[] (node:crypto, MD5 included when there are no lanes), md5: index of MD5 in the answer or -1 } | Error */
  const jobs = new Map();
  let pumping = false;
  let timer;
  const fail = (id, error) =>
    port.postMessage({ id, error: error instanceof Error ? error.message : 'unknown hash job' });

  // Runs after the messages already queued have been read, so one run can take blocks from several bodies.
  const schedule = () => {
    if (!lanes || pumping) return;
    pumping = true;
    setImmediate(() => {
      pumping = false;
      if (lanes.pump()) {
        clearTimeout(timer);
        timer = undefined;
      } else {
        timer ??= setTimeout(() => {
          timer = undefined;
          lanes.pump(true);
        }, WAIT_MS);
      }
    });
  };

  port.on('message', (m) => {
    switch (m.op) {
      case 'open':
        try {
          const md5 = lanes ? m.algorithms.indexOf('md5') : -1;
          const hashes = m.algorithms.map((a, i) => (i === md5 ? null : createHash(a)));
          if (md5 >= 0) lanes.open(m.job);
          jobs.set(m.job, { hashes, md5 });
        } catch (error) {
          jobs.set(m.job, error);
        }
        return;
      case 'update': {
        const job = jobs.get(m.job);
        if (!job || job instanceof Error) return fail(m.id, job);
        const view = new Uint8Array(m.sab, 0, m.length);
        for (const h of job.hashes) h?.update(view);
        if (job.md5 < 0) return port.postMessage({ id: m.id });
        lanes.update(m.job, view, () => port.postMessage({ id: m.id }));
        return schedule();
      }
      case 'digest': {
        const job = jobs.get(m.job);
        jobs.delete(m.job);
        if (!job || job instanceof Error) return fail(m.id, job);
        const digests = job.hashes.map((h, i) => (i === job.md5 ? lanes.digest(m.job) : h.digest('hex')));
        return port.postMessage({ id: m.id, digests });
      }
      case 'drop': {
        const job = jobs.get(m.job);
        jobs.delete(m.job);
        if (job && !(job instanceof Error) && job.md5 >= 0) lanes.drop(m.job);
        return;
      }
      case 'count':
        return port.postMessage({ id: m.id, count: jobs.size });
    }
  });
}

if (parentPort) serve(parentPort, workerData?.md5x4);
