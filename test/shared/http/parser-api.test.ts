/** The HttpParser's API surface beyond the fixtures: offsets, pause/resume, views, end(). */
import { describe, expect, it } from 'vitest';
import { HttpParser } from '../../../shared/http/http-parser';
import type { ParsedHead, ParserEvents } from '../../../shared/http/parser-types';
import type { ParseIssue } from '../../../shared/model/exchange';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function recorder(): ParserEvents & {
  heads: ParsedHead[];
  ends: number;
  errors: ParseIssue[];
  bodies: Uint8Array[];
} {
  const r = {
    heads: [] as ParsedHead[],
    ends: 0,
    errors: [] as ParseIssue[],
    bodies: [] as Uint8Array[],
    onHead(h: ParsedHead) {
      r.heads.push(h);
    },
    onBody(b: Uint8Array) {
      r.bodies.push(b);
    },
    onMessageEnd() {
      r.ends++;
    },
    onError(i: ParseIssue) {
      r.errors.push(i);
    },
  };
  return r;
}

describe('HttpParser API', () => {
  it('offset counts consumed bytes; a pause leaves the rest buffered until resume()', () => {
    const ev = recorder();
    const p = new HttpParser({ kind: 'request', mode: 'strict' }, ev);
    ev.onMessageEnd = () => {
      ev.ends++;
      p.pause();
    };
    const first = 'GET /1 HTTP/1.1\r\n\r\n';
    p.push(enc(first + 'GET /2 HTTP/1.1\r\n\r\n'));
    expect(ev.heads.map((h) => h.target)).toEqual(['/1']);
    expect(p.paused).toBe(true);
    expect(p.offset).toBe(first.length);
    p.push(enc('GET /3 HTTP/1.1\r\n\r\n')); // queued while paused
    expect(ev.heads.length).toBe(1);
    p.resume();
    expect(ev.heads.map((h) => h.target)).toEqual(['/1', '/2']);
    p.resume();
    expect(ev.heads.map((h) => h.target)).toEqual(['/1', '/2', '/3']);
    expect(p.offset).toBe(first.length * 3);
  });

  it('bytes kept while paused are copies: the caller may reuse its Buffer', () => {
    const ev = recorder();
    const p = new HttpParser({ kind: 'request', mode: 'strict' }, ev);
    ev.onMessageEnd = () => {
      ev.ends++;
      p.pause();
    };
    const buf = Buffer.from('GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n', 'latin1');
    p.push(buf); // stops after /1 with /2 left over
    const queued = Buffer.from('GET /3 HTTP/1.1\r\n\r\n', 'latin1');
    p.push(queued); // queued while paused
    buf.fill(0x58); // the caller reuses both buffers
    queued.fill(0x58);
    p.resume();
    p.resume();
    expect(ev.errors).toEqual([]);
    expect(ev.heads.map((h) => h.target)).toEqual(['/1', '/2', '/3']);
  });

  it('end() while paused waits for resume()', () => {
    const ev = recorder();
    const p = new HttpParser({ kind: 'response', mode: 'strict' }, ev);
    ev.onHead = (h) => {
      ev.heads.push(h);
      p.pause();
    };
    p.push(enc('HTTP/1.1 200 OK\r\n\r\nuntil close'));
    p.end();
    expect(ev.ends).toBe(0);
    p.resume();
    expect(ev.ends).toBe(1);
    expect(new TextDecoder().decode(ev.bodies[0])).toBe('until close');
  });

  it('bodies are views into the pushed chunk, not copies', () => {
    const ev = recorder();
    const p = new HttpParser({ kind: 'request', mode: 'strict' }, ev);
    const chunk = enc('POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody');
    p.push(chunk);
    expect(ev.bodies[0].buffer).toBe(chunk.buffer);
    expect(ev.bodies[0].byteOffset).toBe(chunk.length - 4);
  });

  it('after a fatal error later pushes and end() are ignored', () => {
    const ev = recorder();
    const p = new HttpParser({ kind: 'request', mode: 'strict' }, ev);
    p.push(enc('GET / HTTP/1.1\r\nBad : x\r\n\r\n'));
    p.push(enc('GET / HTTP/1.1\r\n\r\n'));
    p.end();
    expect(ev.errors.map((e) => e.code)).toEqual(['WHITESPACE_BEFORE_COLON']);
    expect(ev.heads.length).toBe(0);
  });

  it('expectResponseTo queues methods for pipelined responses', () => {
    const ev = recorder();
    const p = new HttpParser({ kind: 'response', mode: 'strict' }, ev);
    p.expectResponseTo('head');
    p.expectResponseTo('GET');
    p.push(enc('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n'));
    p.push(enc('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'));
    expect(ev.heads.map((h) => h.framing)).toEqual(['none', 'content-length']);
    expect(ev.ends).toBe(2);
  });

  it('a listener that throws does not leave the parser stuck', () => {
    const ev = recorder();
    const p = new HttpParser({ kind: 'request', mode: 'strict' }, ev);
    let fail = true;
    ev.onHead = (h) => {
      ev.heads.push(h);
      if (fail) {
        fail = false;
        throw new Error('listener bug');
      }
    };
    const chunk = enc('GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n');
    expect(() => p.push(chunk)).toThrow('listener bug');
    chunk.fill(0x21); // the caller reuses its buffer: the parser kept its own copy of the rest
    p.push(enc('GET /3 HTTP/1.1\r\n\r\n'));
    expect(ev.heads.map((h) => h.target)).toEqual(['/1', '/2', '/3']);
  });
});
