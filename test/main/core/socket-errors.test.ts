import { describe, expect, it } from 'vitest';
import { describeSocketError } from '../../../main/core/socket-errors';

describe('describeSocketError', () => {
  it('puts plain words after the code, and keeps unknown codes as they are', () => {
    expect(describeSocketError('ECONNREFUSED')).toBe(
      'ECONNREFUSED (connection refused: nothing listens on that port)',
    );
    expect(describeSocketError('ENOTFOUND')).toBe('ENOTFOUND (no such host name)');
    expect(describeSocketError('ESOMETHINGNEW')).toBe('ESOMETHINGNEW');
  });
});
