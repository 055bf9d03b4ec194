import { describe, expect, it } from 'vitest';
import { describeSocketError } from '../../../main/core/socket-errors';

describe('describeSocketError', () => {
  it('puts plain words before the code, and keeps unknown codes as they are', () => {
    expect(describeSocketError('ECONNREFUSED')).toBe(
      'connection refused, nothing listens on that port (ECONNREFUSED)',
    );
    expect(describeSocketError('ENOTFOUND')).toBe('no such host name (ENOTFOUND)');
    expect(describeSocketError('ESOMETHINGNEW')).toBe('ESOMETHINGNEW');
  });
});
