import { beforeAll, describe, expect, it } from 'vitest';
import { createHasher } from './checksum.ts';
import { Crc64Nvme, loadCrc64Nvme } from './crc64nvme.ts';

describe('CRC-64/NVME', () => {
  beforeAll(() => loadCrc64Nvme());

  it('gives the catalogue check value for "123456789"', () => {
    const crc = new Crc64Nvme();
    crc.update(Buffer.from('123456789'));
    expect(crc.digest().toString('hex')).toBe('ae8b14860a799888');
  });

  it('keeps each hasher’s state apart when they are fed in turn, and chunking does not matter', () => {
    const a = new Crc64Nvme();
    const b = new Crc64Nvme();
    a.update(Buffer.from('1234'));
    b.update(Buffer.from('something else'));
    a.update(Buffer.from('56789'));
    expect(a.digest().toString('hex')).toBe('ae8b14860a799888');
    expect(b.digest().toString('hex')).not.toBe('ae8b14860a799888');
  });

  it('is the CRC64NVME flexible checksum, base64 of the 8 bytes (empty input: all zero)', () => {
    const h = createHasher('CRC64NVME');
    h.update(Buffer.from('123456789'));
    expect(h.digest()).toBe(Buffer.from('ae8b14860a799888', 'hex').toString('base64'));
    expect(createHasher('CRC64NVME').digest()).toBe('AAAAAAAAAAA=');
  });
});
