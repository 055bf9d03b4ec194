/**
 * Just enough POSIX ustar to pack and unpack a capture file: regular files only, names
 * under 100 bytes. Any `tar` can list and extract what this writes.
 */

export const BLOCK = 512;

function putString(header: Uint8Array, offset: number, length: number, text: string): void {
  for (let i = 0; i < Math.min(text.length, length); i++) header[offset + i] = text.charCodeAt(i);
}

function putOctal(header: Uint8Array, offset: number, length: number, value: number): void {
  putString(header, offset, length - 1, value.toString(8).padStart(length - 1, '0'));
}

export function tarHeader(name: string, size: number, mtimeSeconds: number): Uint8Array {
  if (name.length >= 100) throw new Error(`tar: name too long: ${name}`);
  if (size >= 8 ** 11) throw new Error(`tar: ${name} is too large for ustar (${size} bytes)`);
  const h = new Uint8Array(BLOCK);
  putString(h, 0, 100, name);
  putOctal(h, 100, 8, 0o600);
  putOctal(h, 108, 8, 0);
  putOctal(h, 116, 8, 0);
  putOctal(h, 124, 12, size);
  putOctal(h, 136, 12, Math.floor(mtimeSeconds));
  h[156] = 0x30; // '0': regular file
  putString(h, 257, 6, 'ustar');
  putString(h, 263, 2, '00');
  // The checksum is computed with its own field read as eight spaces.
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  putString(h, 148, 7, sum.toString(8).padStart(6, '0') + '\0');
  return h;
}

export interface TarEntryHeader {
  name: string;
  size: number;
}

/** Reads one header block; null at the end-of-archive (zero) block. Throws when invalid. */
export function readTarHeader(block: Uint8Array): TarEntryHeader | null {
  if (block.every((b) => b === 0)) return null;
  const text = (from: number, len: number) => {
    let s = '';
    for (let i = from; i < from + len && block[i] !== 0; i++) s += String.fromCharCode(block[i]);
    return s;
  };
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  const recorded = parseInt(text(148, 8).trim(), 8);
  if (recorded !== sum) throw new Error('tar header checksum mismatch');
  const prefix = text(345, 155);
  const name = text(0, 100);
  return {
    name: prefix ? `${prefix}/${name}` : name,
    size: parseInt(text(124, 12).trim() || '0', 8),
  };
}

export const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;
