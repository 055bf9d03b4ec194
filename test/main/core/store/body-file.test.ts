/**
 * bodies.bin written from libuv's pool (main/core/store/body-file.ts), on a real file:
 * offsets are given at once, `written` only moves once bytes are in the OS, `writeNow`
 * leaves nothing behind, a producer far ahead of the disk is told to wait, and closing
 * with a pool write still running neither loses bytes nor writes to a closed descriptor.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BodyFile } from '../../../../main/core/store/body-file';
import { tempDirs } from './store-test-dirs';

const newDir = tempDirs();
const MiB = 1024 * 1024;

/** A file in a fresh folder, with the callbacks it made recorded. */
function open(): { file: BodyFile; name: string; written: number[]; errors: Error[] } {
  const name = path.join(newDir(), 'bodies.bin');
  const written: number[] = [];
  const errors: Error[] = [];
  const file = new BodyFile(
    name,
    0,
    () => written.push(file.written),
    (e) => errors.push(e),
  );
  return { file, name, written, errors };
}

const piece = (size: number, byte: number): Uint8Array => new Uint8Array(size).fill(byte);

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}

describe('BodyFile', () => {
  it('gives offsets at once and reports `written` only when the pool wrote the bytes', async () => {
    const { file, name, written, errors } = open();
    expect(file.add(piece(10, 0x61))).toBe(0);
    expect(file.add(piece(5, 0x62))).toBe(10);
    expect(file.size).toBe(15);
    expect(file.written).toBe(0); // small pieces wait for a flush
    file.start();
    expect(file.written).toBe(0); // the write runs on the pool
    await until(() => written.length > 0);
    expect(file.written).toBe(15);
    expect(readFileSync(name).toString()).toBe('a'.repeat(10) + 'b'.repeat(5));
    expect(errors).toEqual([]);
    file.close();
  });

  it('writeNow leaves every byte in the file, also those a pool write is busy with', async () => {
    const { file, name, written } = open();
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < 6; i++) {
      pieces.push(piece(100 * 1024, 0x41 + i)); // beyond START_BYTES: a pool write starts
      file.add(pieces[i]);
    }
    const expected = Buffer.concat(pieces);
    expect(file.pending).toBe(true);
    file.writeNow();
    expect(file.written).toBe(file.size);
    expect(readFileSync(name).equals(expected)).toBe(true);
    await until(() => written.length > 0); // the pool write ends later, harmlessly
    expect(readFileSync(name).equals(expected)).toBe(true);
    file.close();
  });

  it('is `behind` when far ahead of the disk, and calls back once it caught up', async () => {
    const { file, name } = open();
    let caughtUp = 0;
    file.whenCaughtUp(() => caughtUp++);
    expect(caughtUp).toBe(1); // not behind: at once
    for (let i = 0; i < 5; i++) file.add(piece(MiB, i)); // 5 MiB in one turn
    expect(file.behind).toBe(true);
    file.whenCaughtUp(() => caughtUp++);
    expect(caughtUp).toBe(1);
    await until(() => caughtUp === 2);
    expect(file.behind).toBe(false);
    await until(() => !file.pending);
    const data = readFileSync(name);
    expect(data.length).toBe(5 * MiB);
    for (let i = 0; i < 5; i++) expect(data[i * MiB + 123]).toBe(i);
    file.close();
  });

  it('writes in the event loop beyond its memory bound, whatever the producer does', () => {
    const { file, name } = open();
    for (let i = 0; i < 20; i++) file.add(piece(MiB, i)); // never yields to the pool
    // At most the bound (16 MiB) is held for the pool, plus one piece.
    expect(file.held).toBeLessThanOrEqual(17 * MiB);
    file.close();
    expect(readFileSync(name).length).toBe(20 * MiB);
  });

  it('closes after a pool write still running, with every byte written', async () => {
    const { file, name, written } = open();
    file.add(piece(2 * MiB, 0x7a));
    const closed = file.close(); // a pool write was started by add()
    expect(readFileSync(name).length).toBe(2 * MiB);
    await closed; // the descriptor is closed once that write ended
    expect(file.add(piece(10, 0))).toBe(2 * MiB); // after close: ignored
    await new Promise((r) => setTimeout(r, 50));
    expect(readFileSync(name).length).toBe(2 * MiB);
    expect(written).toEqual([]); // no callback into a closed log
  });

  // /dev/full fails every write with ENOSPC: a real "disk full" without filling a disk.
  it.skipIf(!existsSync('/dev/full'))(
    'reports a failed pool write and does not keep the log waiting for it',
    async () => {
      const errors: Error[] = [];
      let writtenCalls = 0;
      const file = new BodyFile(
        '/dev/full',
        0,
        () => writtenCalls++,
        (e) => errors.push(e),
      );
      file.add(piece(100 * 1024, 1)); // a pool write starts
      await until(() => writtenCalls > 0);
      expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['ENOSPC']);
      expect(file.written).toBe(file.size); // records behind it are not stuck
      expect(file.behind).toBe(false);
      await file.close();
    },
  );

  it('appends after the bytes already in the file when reopened', async () => {
    const { file, name } = open();
    file.add(piece(3, 0x31));
    file.close();
    const again = new BodyFile(
      name,
      3,
      () => {},
      () => {},
    );
    expect(again.add(piece(2, 0x32))).toBe(3);
    again.close();
    expect(readFileSync(name).toString()).toBe('11122');
  });
});
