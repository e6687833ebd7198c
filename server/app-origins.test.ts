import { describe, expect, it } from 'vitest';
import { appOrigins } from './app-origins.ts';

describe('appOrigins', () => {
  it('gives both names of this machine on 127.0.0.1, the default', () => {
    expect(appOrigins({ host: '127.0.0.1', port: 8080 })).toEqual([
      'http://127.0.0.1:8080',
      'http://localhost:8080',
    ]);
  });

  it('gives localhost beside [::1], and both loopback numbers beside localhost', () => {
    expect(appOrigins({ host: '::1', port: 80 })).toEqual(['http://[::1]', 'http://localhost']);
    expect(appOrigins({ host: '[::1]', port: 3000 })).toEqual(['http://[::1]:3000', 'http://localhost:3000']);
    expect(appOrigins({ host: 'localhost', port: 3000 })).toEqual([
      'http://localhost:3000',
      'http://127.0.0.1:3000',
      'http://[::1]:3000',
    ]);
  });

  it('gives another loopback number alone: localhost does not reach it', () => {
    expect(appOrigins({ host: '127.0.0.2', port: 8080 })).toEqual(['http://127.0.0.2:8080']);
  });

  it('gives the address Hoist listens on, an IPv6 one in brackets', () => {
    expect(appOrigins({ host: '192.168.1.20', port: 8080 })).toEqual(['http://192.168.1.20:8080']);
    expect(appOrigins({ host: 'fd00::5', port: 8080 })).toEqual(['http://[fd00::5]:8080']);
  });

  it('gives only HOIST_PUBLIC_URL’s origin when set', () => {
    expect(
      appOrigins({ host: '127.0.0.1', port: 8080, publicUrl: 'https://files.example.com/app/' }),
    ).toEqual(['https://files.example.com']);
  });

  it('gives both spellings of this machine when HOIST_PUBLIC_URL names it (npm run dev: Vite’s address)', () => {
    expect(appOrigins({ host: '127.0.0.1', port: 8080, publicUrl: 'http://localhost:5173' })).toEqual([
      'http://localhost:5173',
      'http://127.0.0.1:5173',
    ]);
    expect(appOrigins({ host: '127.0.0.1', port: 8080, publicUrl: 'http://127.0.0.1:5173/' })).toEqual([
      'http://127.0.0.1:5173',
      'http://localhost:5173',
    ]);
    expect(appOrigins({ host: '::1', port: 8080, publicUrl: 'http://[::1]:5173' })).toEqual([
      'http://[::1]:5173',
      'http://localhost:5173',
    ]);
  });

  it('gives none on every address without HOIST_PUBLIC_URL', () => {
    expect(appOrigins({ host: '0.0.0.0', port: 8080 })).toEqual([]);
    expect(appOrigins({ host: '::', port: 8080 })).toEqual([]);
  });

  it('gives none for an IPv6 address with a zone, which no URL holds', () => {
    expect(appOrigins({ host: 'fe80::1%eth0', port: 8080 })).toEqual([]);
  });
});
