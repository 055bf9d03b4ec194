/**
 * Moving traffic in and out: Copy as cURL, Import from cURL (into the composer), Export
 * HAR (a download) and Import HAR (a chosen file). The command is also kept as text so it
 * is usable where the clipboard is denied.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { downloadText } from '../lib/download';
import { errorText, inspectorClient } from './client';
import { useComposerStore } from './composer-store';
import { useExchangesStore } from './exchanges-store';

export interface CurlExport {
  id: number;
  command: string;
  /** True when the clipboard took it; false with the reason when it did not. */
  copied: boolean;
  clipboardError: string | null;
}

export const useTransferStore = defineStore('transfer', () => {
  const curl = ref<CurlExport | null>(null);
  const curlError = ref<string | null>(null);
  const importWarnings = ref<string[]>([]);
  const importError = ref<string | null>(null);
  const harMessage = ref<string | null>(null);
  const harError = ref<string | null>(null);
  const harSkipped = ref<string[]>([]);
  const busy = ref(false);

  async function copyAsCurl(id: number): Promise<CurlExport | null> {
    curlError.value = null;
    try {
      const command = await inspectorClient().toCurl({ id });
      const done: CurlExport = { id, command, copied: false, clipboardError: null };
      try {
        if (!globalThis.navigator?.clipboard) throw new Error('no clipboard access here');
        await globalThis.navigator.clipboard.writeText(command);
        done.copied = true;
      } catch (e) {
        done.clipboardError = errorText(e);
      }
      curl.value = done;
      return done;
    } catch (e) {
      curlError.value = `Could not make a cURL command for #${id}: ${errorText(e)}`;
      return null;
    }
  }

  function closeCurl(): void {
    curl.value = null;
  }

  /** Parses a curl command and opens the request it would send in a new composer tab. */
  async function importCurl(command: string): Promise<boolean> {
    importError.value = null;
    importWarnings.value = [];
    if (!command.trim()) {
      importError.value = 'Paste a curl command first.';
      return false;
    }
    try {
      const { raw, target, warnings } = await inspectorClient().fromCurl(command);
      useComposerStore().openRequest('From cURL', raw, target);
      importWarnings.value = warnings;
      return true;
    } catch (e) {
      importError.value = `Could not import the cURL command: ${errorText(e)}`;
      return false;
    }
  }

  /** Exports what the list shows (the current filter) as a .har download. */
  async function exportHar(): Promise<boolean> {
    harError.value = null;
    harMessage.value = null;
    busy.value = true;
    try {
      const filter = useExchangesStore().filterText.trim() || undefined;
      const result = await inspectorClient().exportHar({ filter });
      if (result.text === undefined) throw new Error('the export returned no HAR text');
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      downloadText(`wirelens-${stamp}.har`, result.text);
      harMessage.value = `Exported ${result.count} exchange${result.count === 1 ? '' : 's'}.`;
      return true;
    } catch (e) {
      harError.value = `Export failed: ${errorText(e)}`;
      return false;
    } finally {
      busy.value = false;
    }
  }

  async function importHar(file: { name: string; text(): Promise<string> }): Promise<boolean> {
    harError.value = null;
    harMessage.value = null;
    harSkipped.value = [];
    busy.value = true;
    try {
      const text = await file.text();
      const result = await inspectorClient().importHar({ text, name: file.name });
      const skipped = result.skipped.length;
      harMessage.value = `Imported ${result.imported}, skipped ${skipped} from ${file.name}.`;
      harSkipped.value = result.skipped.map((s) => `Entry ${s.index}: ${s.reason}`);
      return true;
    } catch (e) {
      harError.value = `Import of ${file.name} failed: ${errorText(e)}`;
      return false;
    } finally {
      busy.value = false;
    }
  }

  return {
    curl,
    curlError,
    importWarnings,
    importError,
    harMessage,
    harError,
    harSkipped,
    busy,
    copyAsCurl,
    closeCurl,
    importCurl,
    exportHar,
    importHar,
  };
});
