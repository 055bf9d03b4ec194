/**
 * JSON written straight into UTF-8 bytes, for the one record per exchange on the proxy's
 * hot path (the `x` line, ./exchange-line.ts). Building that line as a JS string cost
 * more than everything else the store does per exchange: dozens of concatenations, then
 * flattening the rope and encoding it. Here keys are copied from pre-encoded bytes,
 * integers are written digit by digit, and plain strings byte by byte.
 *
 * The text is the same `JSON.stringify` would give: a string that is not printable ASCII
 * without `"` and `\` goes through JSON.stringify itself, a number that is not a safe
 * integer through `String` (its JSON form when finite), and a non-finite one is `null`.
 *
 * Lines are written one after another into a slab; `end()` returns the line as a view of
 * it, valid for good: a full slab is left to the views that still use it and a new one
 * taken, never reused.
 */
const SLAB_BYTES = 256 * 1024;

/**
 * Below 2^43 ms (the year 2248) a double's spacing is under 0.002, so a decimal with three
 * digits after the point is the shortest text of the double nearest to it.
 */
const MILLI_EXACT_BELOW = 2 ** 43;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** A key or other fixed text, encoded once (ASCII). */
export function ascii(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

export class JsonBytes {
  private buf = Buffer.allocUnsafe(SLAB_BYTES);
  private start = 0;
  private pos = 0;

  /** The line written since the last `end()`. */
  end(): Uint8Array {
    const line = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    return line;
  }

  /** Fixed text (see `ascii`). */
  raw(bytes: Uint8Array): void {
    const n = bytes.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    let at = this.pos;
    for (let i = 0; i < n; i++) buf[at++] = bytes[i];
    this.pos = at;
  }

  /** A key (`ascii(',"name":')`) and a number. */
  numField(key: Uint8Array, x: number): void {
    this.raw(key);
    this.num(x);
  }

  /** A key and a string, or `null`. */
  strField(key: Uint8Array, s: string | null): void {
    this.raw(key);
    if (s === null) this.latin1('null');
    else this.str(s);
  }

  /** One ASCII character. */
  char(code: number): void {
    if (this.pos + 1 > this.buf.length) this.grow(1);
    this.buf[this.pos++] = code;
  }

  /**
   * A number as JSON: integers digit by digit, a time mark to the microsecond (at most
   * three decimals, ../clock.ts) likewise, others through String; not finite: null.
   */
  num(x: number): void {
    if (Number.isSafeInteger(x)) {
      if (x < 0) {
        this.char(0x2d);
        x = -x;
      }
      this.digits(x);
    } else if (x > 0 && x < MILLI_EXACT_BELOW) {
      const whole = Math.floor(x);
      const milli = Math.round((x - whole) * 1000);
      // Only when x is the double nearest to whole.milli: then that decimal (without
      // trailing zeros) is what String(x) gives — no shorter one rounds to x.
      if ((whole * 1000 + milli) / 1000 === x) this.milli(whole, milli);
      else this.latin1(String(x));
    } else if (Number.isFinite(x)) this.latin1(String(x));
    else this.latin1('null');
  }

  /** `null` or the number. */
  numOrNull(x: number | null): void {
    if (x === null) this.latin1('null');
    else this.num(x);
  }

  /** A JSON string. */
  str(s: string): void {
    const n = s.length;
    if (this.pos + n + 2 > this.buf.length) this.grow(n + 2);
    const buf = this.buf;
    const from = this.pos;
    let at = from;
    buf[at++] = QUOTE;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) {
        // Needs escaping or is not ASCII: JSON.stringify knows the exact rules.
        this.pos = from;
        this.text(JSON.stringify(s));
        return;
      }
      buf[at++] = c;
    }
    buf[at++] = QUOTE;
    this.pos = at;
  }

  /** Text already in JSON form (any Unicode), encoded as UTF-8. */
  text(json: string): void {
    const most = json.length * 3;
    if (this.pos + most > this.buf.length) this.grow(most);
    this.pos += this.buf.write(json, this.pos, 'utf8');
  }

  /** ASCII text, char by char (cheaper than Buffer#write for a few characters). */
  private latin1(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    let at = this.pos;
    for (let i = 0; i < n; i++) buf[at++] = s.charCodeAt(i);
    this.pos = at;
  }

  /** `whole.milli` (0 < milli < 1000), without trailing zeros. */
  private milli(whole: number, milli: number): void {
    this.digits(whole);
    this.char(0x2e);
    if (milli < 100) this.char(0x30);
    if (milli < 10) this.char(0x30);
    while (milli % 10 === 0) milli /= 10;
    this.digits(milli);
  }

  private digits(x: number): void {
    if (this.pos + 16 > this.buf.length) this.grow(16);
    const buf = this.buf;
    let n = 1;
    for (let t = x; t >= 10; t = Math.floor(t / 10)) n++;
    let at = this.pos + n;
    this.pos = at;
    do {
      const q = Math.floor(x / 10);
      buf[--at] = 0x30 + (x - q * 10);
      x = q;
    } while (x > 0);
  }

  /** A new slab with room for `need` more bytes; the line so far moves to it. */
  private grow(need: number): void {
    const line = this.pos - this.start;
    const next = Buffer.allocUnsafe(Math.max(SLAB_BYTES, (line + need) * 2));
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = line;
  }
}
