import { describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import {
  guardNavigation,
  isExternalWebUrl,
  RENDERER_CSP,
  secureSession,
  secureWebPreferences,
} from '../../../main/electron/window-security';

describe('window security', () => {
  it('isolates the page: context isolation, sandbox, no node integration', () => {
    const prefs = secureWebPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
  });

  it('blocks navigation and window.open; only http(s) goes to the system browser', () => {
    const listeners = new Map<string, (event: { url: string; preventDefault(): void }) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | null = null;
    const contents = {
      on: (name: string, listener: (event: { url: string; preventDefault(): void }) => void) => {
        listeners.set(name, listener);
        return contents;
      },
      setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => {
        openHandler = handler;
      },
    };
    const openExternal = vi.fn();
    guardNavigation(contents as unknown as WebContents, { openExternal });

    const navigate = (url: string) => {
      const event = { url, preventDefault: vi.fn() };
      listeners.get('will-navigate')!(event);
      return event.preventDefault;
    };
    expect(navigate('https://example.com/docs')).toHaveBeenCalled();
    expect(navigate('file:///etc/passwd')).toHaveBeenCalled();
    expect(openHandler!({ url: 'http://example.org/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls.map((c) => c[0])).toEqual([
      'https://example.com/docs',
      'http://example.org/',
    ]);
    expect(listeners.has('will-redirect')).toBe(true);
  });

  it('classifies external URLs', () => {
    expect(isExternalWebUrl('https://a.example/')).toBe(true);
    expect(isExternalWebUrl('smb://host/share')).toBe(false);
    expect(isExternalWebUrl('not a url')).toBe(false);
  });

  it('sets the CSP header on responses and denies every permission', () => {
    let headersHook: ((details: unknown, cb: (r: unknown) => void) => void) | null = null;
    let requestHook: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
    let checkHook: (() => boolean) | null = null;
    const session = {
      webRequest: { onHeadersReceived: (fn: typeof headersHook) => (headersHook = fn) },
      setPermissionRequestHandler: (fn: typeof requestHook) => (requestHook = fn),
      setPermissionCheckHandler: (fn: typeof checkHook) => (checkHook = fn),
    };
    secureSession(session as unknown as Session);
    let result: unknown;
    headersHook!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (result = r));
    expect(result).toEqual({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [RENDERER_CSP] },
    });
    expect(RENDERER_CSP).toContain("script-src 'self'");
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval/);
    const granted = vi.fn();
    requestHook!({}, 'geolocation', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(checkHook!()).toBe(false);
  });
});
