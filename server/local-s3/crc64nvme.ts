import { createCRC64 } from 'hash-wasm';

/**
 * CRC-64/NVME (S3's CRC64NVME): reflected polynomial 0x9a6c9329ac4bc9b5, init and xorout all ones; the check
 * value of "123456789" is 0xae8b14860a799888. One hash-wasm instance serves every hasher, each keeping its own
 * state (save/load), so creating one stays synchronous.
 */
export const CRC64_NVME_POLYNOMIAL = '9a6c9329ac4bc9b5';

const shared = await createCRC64(CRC64_NVME_POLYNOMIAL);
shared.init();
const INITIAL = shared.save();

export class Crc64Nvme {
  #state: Uint8Array = INITIAL;

  update(chunk: Uint8Array): void {
    shared.load(this.#state);
    shared.update(chunk);
    this.#state = shared.save();
  }

  /** the 8 CRC bytes, big-endian as S3 sends them */
  digest(): Buffer {
    shared.load(this.#state);
    return Buffer.from(shared.digest('binary'));
  }
}
