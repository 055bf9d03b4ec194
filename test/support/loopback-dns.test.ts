/**
 * The guard of ./loopback-dns.mjs is in place in the test workers and in the Node
 * processes tests start: no name lookup leaves this machine.
 */
import { spawnSync } from 'node:child_process';
import dns from 'node:dns';
import { describe, expect, it } from 'vitest';

describe('name lookups in tests stay on this machine', () => {
  it('answers localhost and refuses every other name without asking a resolver', async () => {
    await expect(dns.promises.lookup('localhost')).resolves.toMatchObject({
      address: '127.0.0.1',
    });
    await expect(dns.promises.lookup('app.localhost', { family: 6 })).resolves.toEqual({
      address: '::1',
      family: 6,
    });
    await expect(dns.promises.lookup('no-such-host.invalid')).rejects.toMatchObject({
      code: 'ENOTFOUND',
      syscall: 'getaddrinfo',
    });
    const viaCallback = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      dns.lookup('accounts.example.com', (error) => resolve(error)),
    );
    expect(viaCallback?.code).toBe('ENOTFOUND');
    await expect(dns.promises.lookup('127.0.0.1')).resolves.toEqual({
      address: '127.0.0.1',
      family: 4,
    });
  });

  it('is loaded into the Node processes a test starts', () => {
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        "const dns = require('node:dns'); process.stdout.write(dns.lookup.name + ' ' + dns.promises.lookup.name)",
      ],
      { encoding: 'utf8', timeout: 10_000 },
    );
    expect(child.stdout).toBe('guardedLookup guardedPromiseLookup');
  });
});
