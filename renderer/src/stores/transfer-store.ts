/**
 * cURL both ways: Copy as cURL and Import from cURL (into the composer). The command is
 * also kept as text so it is usable where the clipboard is denied. HAR and capture files
 * are ./files-store.ts.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { errorText, inspectorClient } from './client';
import { useComposerStore } from './composer-store';

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

  return {
    curl,
    curlError,
    importWarnings,
    importError,
    copyAsCurl,
    closeCurl,
    importCurl,
  };
});
