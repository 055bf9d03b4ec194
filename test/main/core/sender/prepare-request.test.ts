/** What the sender makes of a composed request before writing it: edits and warnings. */
import { describe, expect, it } from 'vitest';
import { prepareRequest } from '../../../../main/core/sender/prepare-request';

const bytes = (text: string) => Buffer.from(text, 'latin1');
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

const EXACT = { fixContentLength: false, normalizeLineEndings: false };

describe('prepareRequest: line endings', () => {
  const typed = 'POST /a HTTP/1.1\nHost: h\nContent-Length: 3\n\nx\ny';

  it('turns bare LF into CRLF in the head only (the body keeps its LF)', () => {
    const out = prepareRequest(bytes(typed), {
      normalizeLineEndings: true,
      fixContentLength: false,
    });
    expect(text(out.bytes)).toBe('POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nx\ny');
    expect(out.warnings).toEqual([]);
  });

  it('leaves bare LF alone when normalisation is off, and says so', () => {
    const raw = bytes(typed);
    const out = prepareRequest(raw, EXACT);
    expect(out.bytes).toBe(raw);
    expect(out.warnings).toContain('the head has 4 bare LF line ending(s) instead of CRLF');
  });

  it('adds the missing empty line when normalising a head typed without one', () => {
    const out = prepareRequest(bytes('GET / HTTP/1.1\nHost: h\n'), {});
    expect(text(out.bytes)).toBe('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    expect(out.warnings).toEqual(['added the empty line that ends the head']);
  });

  it('sends an unterminated head as-is in exact mode, with a warning', () => {
    const out = prepareRequest(bytes('GET / HTTP/1.1\r\nHost: h\r\n'), EXACT);
    expect(text(out.bytes)).toBe('GET / HTTP/1.1\r\nHost: h\r\n');
    expect(out.warnings.join('\n')).toMatch(/does not end with an empty line/);
  });
});

describe('prepareRequest: Content-Length', () => {
  const cases: Array<{
    name: string;
    input: string;
    fix: boolean;
    sent: string;
    warning?: RegExp;
  }> = [
    {
      name: 'rewrites a wrong value',
      input: 'POST / HTTP/1.1\r\nHost: h\r\ncontent-length: 10\r\n\r\n123456789012',
      fix: true,
      sent: 'POST / HTTP/1.1\r\nHost: h\r\ncontent-length: 12\r\n\r\n123456789012',
      warning: /Content-Length set to 12 \(was "10"\)/,
    },
    {
      name: 'keeps a wrong value when off, with the mismatch warning',
      input: 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n123456789012',
      fix: false,
      sent: 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n123456789012',
      warning: /^Content-Length says 10, body has 12 bytes$/,
    },
    {
      name: 'adds a missing header when there is a body',
      input: 'POST / HTTP/1.1\r\nHost: h\r\n\r\nabc',
      fix: true,
      sent: 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc',
      warning: /Content-Length: 3 added/,
    },
    {
      name: 'adds nothing to a request without body',
      input: 'GET / HTTP/1.1\r\nHost: h\r\n\r\n',
      fix: true,
      sent: 'GET / HTTP/1.1\r\nHost: h\r\n\r\n',
    },
    {
      name: 'leaves a chunked request alone',
      input:
        'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
      fix: true,
      sent: 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = prepareRequest(bytes(c.input), {
        fixContentLength: c.fix,
        normalizeLineEndings: false,
      });
      expect(text(out.bytes)).toBe(c.sent);
      if (c.warning) expect(out.warnings.some((w) => c.warning!.test(w))).toBe(true);
      else expect(out.warnings).toEqual([]);
    });
  }

  it('keeps LF endings when it adds a header to an LF head with normalisation off', () => {
    const out = prepareRequest(bytes('POST / HTTP/1.1\nHost: h\n\nab'), {
      fixContentLength: true,
      normalizeLineEndings: false,
    });
    expect(text(out.bytes)).toBe('POST / HTTP/1.1\nHost: h\nContent-Length: 2\n\nab');
  });

  it('never touches body bytes, including binary ones', () => {
    const body = Buffer.from([0, 10, 13, 255, 10, 10]);
    const raw = Buffer.concat([bytes('PUT / HTTP/1.1\nHost: h\n\n'), body]);
    const out = prepareRequest(raw, {});
    expect(Buffer.from(out.bytes).subarray(-body.length)).toEqual(body);
    expect(text(out.bytes)).toMatch(/^PUT \/ HTTP\/1\.1\r\nHost: h\r\nContent-Length: 6\r\n\r\n/);
  });
});

describe('prepareRequest: warnings on malformed requests (still sent)', () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      'duplicate CL',
      'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na',
      /Content-Length appears 2 times/,
    ],
    [
      'CL + TE',
      'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      /both Content-Length and Transfer-Encoding/,
    ],
    [
      'obs-fold',
      'GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n  more\r\n\r\n',
      /header line 3 is folded \(obs-fold\)/,
    ],
    ['no Host', 'GET / HTTP/1.1\r\n\r\n', /no Host header/],
    ['no colon', 'GET / HTTP/1.1\r\nHost: h\r\nnonsense\r\n\r\n', /header line 2 has no colon/],
    ['bad request line', 'GET\r\nHost: h\r\n\r\n', /request line should read/],
    [
      'unframed body',
      'POST / HTTP/1.1\r\nHost: h\r\n\r\nabc',
      /body has 3 bytes but no Content-Length/,
    ],
  ];
  for (const [name, input, warning] of cases) {
    it(`${name}: byte-identical in exact mode, with a warning`, () => {
      const raw = bytes(input);
      const out = prepareRequest(raw, EXACT);
      expect(text(out.bytes)).toBe(input);
      expect(
        out.warnings.some((w) => warning.test(w)),
        out.warnings.join('\n'),
      ).toBe(true);
    });
  }

  it('reads method, target, version and headers of what is sent', () => {
    const out = prepareRequest(bytes('OPTIONS * HTTP/1.0\r\nA: 1\r\nb:2\r\n\r\n'), EXACT);
    expect([out.method, out.requestTarget, out.version]).toEqual(['OPTIONS', '*', 'HTTP/1.0']);
    expect(out.headers).toEqual([
      ['A', '1'],
      ['b', '2'],
    ]);
  });
});
