import { describe, expect, it } from 'vitest';
import { schemeHost } from '../../renderer/src/lib/format';

describe('schemeHost (the list’s Scheme+Host cell)', () => {
  it('shows the port only when it is not the scheme’s default', () => {
    expect(schemeHost({ scheme: 'http', host: '127.0.0.1', port: 19000 })).toBe(
      'http://127.0.0.1:19000',
    );
    expect(schemeHost({ scheme: 'http', host: 'example.test', port: 80 })).toBe(
      'http://example.test',
    );
    expect(schemeHost({ scheme: 'https', host: 'example.test', port: 443 })).toBe(
      'https://example.test',
    );
    expect(schemeHost({ scheme: 'https', host: 'example.test', port: 80 })).toBe(
      'https://example.test:80',
    );
    expect(schemeHost({ scheme: 'http', host: '::1', port: 8080 })).toBe('http://[::1]:8080');
    expect(schemeHost({ scheme: 'wss', host: 'example.test', port: 443 })).toBe(
      'wss://example.test',
    );
  });
});
