import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../shared/http/split-message';
import { headBytes, splitHead } from '../../renderer/src/lib/wire-text';

const latin1 = (b: Uint8Array) => new TextDecoder().decode(b); // ASCII here

describe('wire text: a response that followed 1xx responses', () => {
  const wire =
    'HTTP/1.1 100 Continue\r\n\r\n' +
    'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n' +
    'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
  const bytes = new TextEncoder().encode(wire);
  const final = splitMessage(bytes, 'response');
  const head = bytes.subarray(0, final.layout!.body.start);

  it('cuts each 1xx head and the final start line apart (spans count from the first byte)', () => {
    const [cont, hints] = final.informational;
    expect(latin1(headBytes(head, cont!.layout!))).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    expect(latin1(headBytes(head, hints!.layout!))).toBe(
      'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n',
    );
    expect(latin1(splitHead(head, hints!.layout!).headerBlock)).toBe(
      'Link: </a.css>; rel=preload\r\n\r\n',
    );
    const parts = splitHead(head, final.layout!);
    expect(latin1(parts.startLine)).toBe('HTTP/1.1 200 OK\r\n');
    expect(latin1(parts.headerBlock)).toBe('Content-Length: 2\r\n\r\n');
  });
});
