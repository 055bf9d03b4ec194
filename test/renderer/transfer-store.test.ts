import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setInspectorClient } from '../../renderer/src/stores/client';
import { useComposerStore } from '../../renderer/src/stores/composer-store';
import { useTransferStore } from '../../renderer/src/stores/transfer-store';
import { fakeClient, type FakeClient } from './fake-client';

let client: FakeClient;
const saved = {
  navigator: globalThis.navigator,
  document: (globalThis as { document?: unknown }).document,
};

function setGlobal(name: 'navigator' | 'document', value: unknown): void {
  Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
}

beforeEach(() => {
  setActivePinia(createPinia());
});
afterEach(() => {
  setGlobal('navigator', saved.navigator);
  setGlobal('document', saved.document);
});

describe('transfer store: cURL', () => {
  it('copies the command to the clipboard and keeps it for the dialog', async () => {
    const written: string[] = [];
    setGlobal('navigator', { clipboard: { writeText: async (t: string) => void written.push(t) } });
    client = fakeClient({ toCurl: async (q) => `curl 'http://h/${q.id}'` });
    setInspectorClient(client);
    const transfer = useTransferStore();
    const done = await transfer.copyAsCurl(7);
    expect(written).toEqual(["curl 'http://h/7'"]);
    expect(done).toEqual({
      id: 7,
      command: "curl 'http://h/7'",
      copied: true,
      clipboardError: null,
    });
    expect(transfer.curl?.command).toBe("curl 'http://h/7'");
  });

  it('still shows the command when the clipboard is denied', async () => {
    setGlobal('navigator', {
      clipboard: { writeText: () => Promise.reject(new Error('Write permission denied.')) },
    });
    setInspectorClient(fakeClient({ toCurl: async () => 'curl x' }));
    const transfer = useTransferStore();
    await transfer.copyAsCurl(1);
    expect(transfer.curl).toMatchObject({ command: 'curl x', copied: false });
    expect(transfer.curl?.clipboardError).toContain('denied');
    transfer.closeCurl();
    expect(transfer.curl).toBeNull();
  });

  it('says why when the command cannot be made', async () => {
    setInspectorClient(
      fakeClient({ toCurl: () => Promise.reject({ code: 'NOT_FOUND', message: 'gone' }) }),
    );
    const transfer = useTransferStore();
    expect(await transfer.copyAsCurl(3)).toBeNull();
    expect(transfer.curlError).toBe('Could not make a cURL command for #3: gone (NOT_FOUND)');
  });

  it('imports a curl command into a new composer tab: LF head, body kept, target, warnings', async () => {
    const raw = new TextEncoder().encode(
      'POST /p HTTP/1.1\r\nHost: 127.0.0.1:81\r\nContent-Length: 4\r\n\r\na\r\nb',
    );
    client = fakeClient({
      fromCurl: async (command) => {
        client.calls.push({ method: 'fromCurl', args: [command] });
        return {
          raw,
          target: { host: '127.0.0.1', port: 81, tls: false },
          warnings: ['--foo is not supported'],
        };
      },
    });
    setInspectorClient(client);
    const transfer = useTransferStore();
    expect(await transfer.importCurl("curl -d 'a' http://127.0.0.1:81/p")).toBe(true);
    expect(client.calls).toEqual([
      { method: 'fromCurl', args: ["curl -d 'a' http://127.0.0.1:81/p"] },
    ]);
    const tab = useComposerStore().active!;
    expect(tab.title).toBe('From cURL');
    expect(tab.raw).toBe('POST /p HTTP/1.1\nHost: 127.0.0.1:81\nContent-Length: 4\n\na\r\nb');
    expect(tab.target).toEqual({
      host: '127.0.0.1',
      port: 81,
      tls: false,
      servername: '',
      verify: true,
    });
    expect(transfer.importWarnings).toEqual(['--foo is not supported']);
  });

  it('refuses an empty command and reports a parse error without opening a tab', async () => {
    setInspectorClient(
      fakeClient({
        fromCurl: () => Promise.reject({ code: 'INVALID_ARGUMENT', message: 'not curl' }),
      }),
    );
    const transfer = useTransferStore();
    expect(await transfer.importCurl('  ')).toBe(false);
    expect(transfer.importError).toBe('Paste a curl command first.');
    expect(await transfer.importCurl('wget x')).toBe(false);
    expect(transfer.importError).toContain('not curl (INVALID_ARGUMENT)');
    expect(useComposerStore().tabs).toHaveLength(0);
  });
});
