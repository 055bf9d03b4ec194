import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SendRequest, SendResult } from '../../shared/api/inspector-api';
import type { ExchangeDetail } from '../../shared/model/exchange';
import { setInspectorClient } from '../../renderer/src/stores/client';
import { useComposerStore } from '../../renderer/src/stores/composer-store';
import { deferred, fakeClient, settle, summary, type FakeClient } from './fake-client';

let client: FakeClient;
const text = (b: Uint8Array) => new TextDecoder().decode(b);

const captured: ExchangeDetail = {
  summary: summary(7, {
    method: 'POST',
    path: '/api/items',
    url: 'http://example.test:8081/api/items',
    port: 8081,
  }),
  connection: {
    id: 1,
    source: 'proxy',
    openedAt: 0,
    target: { host: 'example.test', port: 8081, tls: false },
  },
  request: {
    startLine: 'POST /api/items HTTP/1.1',
    headers: [
      ['Host', 'example.test:8081'],
      ['Content-Type', 'application/json'],
      ['Content-Length', '11'],
    ],
    rawLength: 100,
    issues: [],
    complete: true,
  },
  response: null,
  timings: { start: 0 },
  warnings: [],
};

beforeEach(() => {
  setActivePinia(createPinia());
  client = fakeClient({
    getExchange: async (id) => (id === 7 ? captured : null),
    readBody: async (q) => {
      const body = new TextEncoder().encode('{"a":"é1"}');
      const offset = q.offset ?? 0;
      return { bytes: body.subarray(offset, offset + 4), offset, total: body.length };
    },
  });
  setInspectorClient(client);
});

describe('composer store: raw ↔ structured', () => {
  it('splits the raw text into parts and rebuilds it from structured edits', () => {
    const composer = useComposerStore();
    composer.newRequest();
    composer.setRaw('PUT /x?y=1 HTTP/1.1\nHost: a.test\nX-One: 1\nX-Two: 2\n\nhello');
    expect(composer.parts).toMatchObject({
      method: 'PUT',
      target: '/x?y=1',
      version: 'HTTP/1.1',
      headers: [
        ['Host', 'a.test'],
        ['X-One', '1'],
        ['X-Two', '2'],
      ],
      body: 'hello',
    });

    composer.updateParts((p) => {
      p.method = 'PATCH';
      p.headers[1]![1] = 'changed';
      p.headers.push(['X-Three', '3']);
      p.body = 'bye';
    });
    expect(composer.active?.raw).toBe(
      'PATCH /x?y=1 HTTP/1.1\nHost: a.test\nX-One: changed\nX-Two: 2\nX-Three: 3\n\nbye',
    );

    // Reorder and remove, as the header rows' buttons do.
    composer.updateParts((p) => {
      const [h] = p.headers.splice(2, 1);
      p.headers.unshift(h!);
      p.headers.splice(1, 1);
    });
    expect(composer.parts?.headers.map(([n]) => n)).toEqual(['X-Two', 'X-One', 'X-Three']);
  });

  it('never drops a typed line the parser cannot place when editing structurally', () => {
    const composer = useComposerStore();
    composer.newRequest();
    composer.setRaw('GET / HTTP/1.1\nHost: a.test\nthis line has no colon\n\n');
    composer.updateParts((p) => (p.method = 'PUT'));
    // Untouched, so kept as typed (not rewritten as "name: value").
    expect(composer.active?.raw).toBe('PUT / HTTP/1.1\nHost: a.test\nthis line has no colon\n\n');
  });

  it('keeps CRs, bare LFs and odd spacing of lines a structured edit did not touch', () => {
    const composer = useComposerStore();
    composer.newRequest();
    const typed = 'GET  / HTTP/1.1\r\nHost: a.test\r\nX-Bare:\tlf \nX-Move: 1\r\n\r\nbody\n';
    composer.setRaw(typed);
    composer.updateParts((p) => (p.headers[0]![1] = 'b.test'));
    expect(composer.active?.raw).toBe(
      'GET  / HTTP/1.1\r\nHost: b.test\r\nX-Bare:\tlf \nX-Move: 1\r\n\r\nbody\n',
    );
    // A moved row takes its line (and its bare LF) along; a new row ends like the start line.
    composer.updateParts((p) => {
      p.headers.unshift(p.headers.splice(1, 1)[0]!);
      p.headers.push(['X-New', 'n']);
    });
    expect(composer.active?.raw).toBe(
      'GET  / HTTP/1.1\r\nX-Bare:\tlf \nHost: b.test\r\nX-Move: 1\r\nX-New: n\r\n\r\nbody\n',
    );
    composer.active!.sendExactly = true;
    expect(composer.warnings).toContain('1 head lines end with a bare LF (no CR): sent as typed.');
  });

  it('repairs line endings in the head only; "CR LF on every head line" writes them in', async () => {
    const sent: SendRequest[] = [];
    client.send = async (req) => {
      sent.push(req);
      return {
        exchangeId: null,
        sent: req.raw,
        target: req.target!,
        response: null,
        timings: { start: 0 },
        warnings: [],
        error: null,
      } satisfies SendResult;
    };
    const composer = useComposerStore();
    composer.newRequest();
    composer.setRaw('POST /p HTTP/1.1\nHost: h\n\nline1\nline2');
    await composer.send();
    expect(text(sent[0]!.raw)).toBe('POST /p HTTP/1.1\r\nHost: h\r\n\r\nline1\nline2');
    composer.active!.sendExactly = true;
    composer.crlfInHead();
    expect(composer.active?.raw).toBe('POST /p HTTP/1.1\r\nHost: h\r\n\r\nline1\nline2');
    composer.setRaw(composer.active!.raw.replace('Host: h\r\n', 'Host: h\n'));
    await composer.send();
    expect(text(sent[1]!.raw)).toBe('POST /p HTTP/1.1\r\nHost: h\n\r\nline1\nline2');
  });

  it('warns about malformed input without blocking', () => {
    const composer = useComposerStore();
    composer.newRequest();
    composer.setRaw('G ET / HTTP/1.1\nBad Name: x\nContent-Length: 99\n\nabc');
    composer.active!.fixContentLength = false;
    const warnings = composer.warnings.join('\n');
    // The shared lenient parser's findings, in words with their codes.
    expect(warnings).toContain('invalid HTTP version "/ HTTP/1.1" (INVALID_VERSION, byte 5)');
    expect(warnings).toContain('invalid character in header name (INVALID_HEADER_TOKEN');
    expect(warnings).not.toContain('INCOMPLETE_MESSAGE');
    composer.setRaw('POST / HTTP/1.1\nContent-Length: 99\n\nabc');
    const second = composer.warnings.join('\n');
    expect(second).toContain('requires a Host header');
    expect(second).toContain('Content-Length says 99, the body has 3 bytes');
    composer.active!.fixContentLength = true;
    expect(composer.warnings.join('\n')).not.toContain('Content-Length says');
  });

  it('opens a captured exchange with its head, its raw body and a prefilled target', async () => {
    const composer = useComposerStore();
    const tab = await composer.openExchange(7);
    expect(tab?.raw).toBe(
      'POST /api/items HTTP/1.1\nHost: example.test:8081\nContent-Type: application/json\nContent-Length: 11\n\n{"a":"é1"}',
    );
    expect(tab?.target).toEqual({
      host: 'example.test',
      port: 8081,
      tls: false,
      servername: '',
      verify: true,
    });
    expect(composer.parts?.body).toBe('{"a":"é1"}');
  });

  it('opens a request sent to the proxy as the origin got it: origin-form, no proxy headers', async () => {
    const viaProxy: ExchangeDetail = {
      ...captured,
      request: {
        ...captured.request!,
        startLine: 'POST http://example.test:8081/api/items HTTP/1.1',
        headers: [
          ['Host', 'example.test:8081'],
          ['Proxy-Connection', 'Keep-Alive'],
          ['Proxy-Authorization', 'Basic dTpw'],
          ['Content-Type', 'application/json'],
          ['Content-Length', '11'],
        ],
      },
    };
    client.getExchange = async () => viaProxy;
    const tab = await useComposerStore().openExchange(7);
    expect(tab?.raw).toBe(
      'POST /api/items HTTP/1.1\nHost: example.test:8081\nContent-Type: application/json\nContent-Length: 11\n\n{"a":"é1"}',
    );
  });

  it('reports an exchange that cannot be opened in words', async () => {
    const composer = useComposerStore();
    expect(await composer.openExchange(99)).toBeNull();
    expect(composer.openError).toContain('#99');
  });
});

describe('composer store: send', () => {
  it('sends CRLF bytes with the options and keeps a history per tab', async () => {
    const sent: SendRequest[] = [];
    const gate = deferred<void>();
    client.send = async (req) => {
      sent.push(req);
      await gate.promise;
      const raw = new TextEncoder().encode('HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok');
      return {
        exchangeId: null,
        sent: req.raw,
        target: req.target!,
        response: {
          raw,
          startLine: 'HTTP/1.1 201 Created',
          headers: [['Content-Length', '2']],
          bodyOffset: raw.length - 2,
        },
        timings: { start: 0, responseEnd: 5 },
        warnings: [],
        error: null,
      } satisfies SendResult;
    };
    client.cancelSend = async (id) => {
      client.calls.push({ method: 'cancelSend', args: [id] });
      return true;
    };
    const composer = useComposerStore();
    composer.newRequest();
    composer.setRaw('POST /p HTTP/1.1\nHost: h.test\n\nabc');
    composer.active!.target.host = '127.0.0.1';
    composer.active!.target.port = 9;
    const sending = composer.send();
    await settle();
    expect(composer.active?.sendId).toBeTruthy();
    await composer.cancel();
    expect(client.calls.find((c) => c.method === 'cancelSend')?.args[0]).toBe(
      composer.active?.sendId,
    );
    gate.resolve();
    const record = await sending;

    expect(text(sent[0]!.raw)).toBe('POST /p HTTP/1.1\r\nHost: h.test\r\n\r\nabc');
    expect(sent[0]!.options).toEqual({ fixContentLength: true, normalizeLineEndings: true });
    expect(sent[0]!.target).toMatchObject({ host: '127.0.0.1', port: 9, tls: false });
    expect(record?.result?.response?.startLine).toBe('HTTP/1.1 201 Created');
    expect(composer.active?.sendId).toBeNull();
    expect(composer.response?.startLine).toBe('HTTP/1.1 201 Created');
    await settle();
    expect(text(composer.responseBody!.bytes)).toBe('ok');

    composer.active!.sendExactly = true;
    await composer.send();
    expect(text(sent[1]!.raw)).toBe('POST /p HTTP/1.1\nHost: h.test\n\nabc');
    expect(sent[1]!.options).toEqual({ fixContentLength: false, normalizeLineEndings: false });
    expect(composer.active?.history).toHaveLength(2);
    composer.showHistory(0);
    expect(composer.active?.shown).toBe(0);
  });

  it('shows a failed send as an error record', async () => {
    client.send = () => Promise.reject({ code: 'SEND_NO_TARGET', message: 'No target' });
    const composer = useComposerStore();
    composer.newRequest();
    const record = await composer.send();
    expect(record?.error).toBe('No target (SEND_NO_TARGET)');
    expect(composer.active?.history[0]?.error).toBe('No target (SEND_NO_TARGET)');
  });
});
