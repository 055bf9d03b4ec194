import { describe, expect, it } from 'vitest';
import { chromiumCandidates, findChromium } from '../../../../main/core/browser/find-chromium';

describe('findChromium', () => {
  it('prefers CHROMIUM_PATH and reports a CHROMIUM_PATH that does not exist', () => {
    const exists = (file: string) => file === '/opt/my/chrome' || file === '/usr/bin/chromium';
    expect(
      findChromium({ env: { CHROMIUM_PATH: '/opt/my/chrome' }, platform: 'linux', exists }),
    ).toBe('/opt/my/chrome');
    expect(() =>
      findChromium({ env: { CHROMIUM_PATH: '/nope' }, platform: 'linux', exists }),
    ).toThrow(/CHROMIUM_PATH .*does not exist/);
  });

  it('walks the usual install paths per platform', () => {
    const linux = findChromium({
      env: {},
      platform: 'linux',
      exists: (f) => f === '/usr/bin/google-chrome-stable',
    });
    expect(linux).toBe('/usr/bin/google-chrome-stable');
    const mac = findChromium({
      env: {},
      platform: 'darwin',
      homeDir: '/Users/ada',
      exists: (f) => f === '/Users/ada/Applications/Chromium.app/Contents/MacOS/Chromium',
    });
    expect(mac).toBe('/Users/ada/Applications/Chromium.app/Contents/MacOS/Chromium');
    const win = chromiumCandidates(
      'win32',
      { PROGRAMFILES: 'C:\\Program Files' },
      'C:\\Users\\ada',
    );
    expect(win).toContain('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(findChromium({ env: {}, platform: 'linux', exists: () => false })).toBeNull();
  });

  it('finds the Chromium installed on this machine', () => {
    expect(findChromium({ env: {} })).toMatch(/chrom/i);
  });
});
