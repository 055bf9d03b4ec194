/**
 * The export/import parts of the inspector service (ServiceParts in ../service-parts.ts):
 * HAR export and import over the store, Copy as cURL, Import from cURL. The service loader
 * spreads these into its parts: `{ store, ...exportParts(), … }`.
 */
import type { ServiceParts, StorePart } from '../service-parts';
import { requestFromCurl, curlForExchange } from './curl-parts';
import { exportHar } from './export-har';
import { importHar } from './import-har';

type ExportParts = Required<Pick<ServiceParts, 'exportHar' | 'importHar' | 'toCurl' | 'fromCurl'>>;

export function exportParts(): ExportParts {
  return {
    exportHar: (store: StorePart, query, job) => exportHar(store, { ...query, ...job }),
    importHar: (store: StorePart, input, job) => importHar(store, input.text, job),
    toCurl: (input, options) => curlForExchange(input, options),
    // From the UI, `@file` arguments are not read: a pasted command (or any caller of the
    // web API) must not pull local files into a request that can be sent anywhere.
    fromCurl: (command) => requestFromCurl(command, { readFiles: false }),
  };
}
