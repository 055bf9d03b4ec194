/**
 * `wirelens export`: the data folder's exchanges to a HAR 1.2 file (all, filtered or
 * picked by id), or the whole capture to one capture file. Progress goes to stderr on a
 * terminal; Ctrl-C cancels and leaves no half-written file.
 */
import { resolveDataDir } from '../../core/data-dir';
import { saveCapture } from '../../core/export/capture-file';
import { exportHar } from '../../core/export/export-har';
import { ExchangeStore } from '../../core/store/exchange-store';

const HELP = `Usage: wirelens export --har FILE [--data-dir DIR] [--filter EXPR] [--ids 1,2,3]
       wirelens export --capture FILE [--data-dir DIR]

  --har FILE       Write a HAR 1.2 file: complete bodies (binary as base64), failed
                   exchanges with their error in "_error".
  --filter EXPR    Only exchanges matching the list filter (e.g. 'status:>=400 host:api').
  --ids LIST       Only these exchange ids, in this order.
  --capture FILE   Save the whole capture (records + raw bytes) as one capture file
                   (docs/capture-format.md); open it with \`wirelens import --capture\`.
  --data-dir DIR   Data folder (default: WIRELENS_DATA_DIR or the user data folder).
`;

interface ExportArgs {
  har?: string;
  capture?: string;
  filter?: string;
  ids?: number[];
  dataDir?: string;
}

function parse(args: string[]): ExportArgs | string {
  const out: ExportArgs = {};
  for (let i = 0; i < args.length; i++) {
    const name = args[i];
    const value = () => args[++i] ?? '';
    if (name === '--har') out.har = value();
    else if (name === '--capture') out.capture = value();
    else if (name === '--filter') out.filter = value();
    else if (name === '--data-dir') out.dataDir = value();
    else if (name === '--ids') {
      const ids = value().split(',').map(Number);
      if (ids.some((n) => !Number.isInteger(n) || n <= 0)) return '--ids needs a list like 1,2,3';
      out.ids = ids;
    } else return `unknown option "${name}"`;
  }
  if (!out.har === !out.capture) return 'give exactly one of --har FILE or --capture FILE';
  if ((out.har ?? out.capture) === '') return 'the output file name is missing';
  return out;
}

/** A one-line progress meter on stderr, only for a terminal. */
export function progressLine(what: string): (p: { done: number; total: number }) => void {
  if (!process.stderr.isTTY) return () => undefined;
  return ({ done, total }) => process.stderr.write(`\r${what}: ${done}/${total}`);
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(HELP);
    return 0;
  }
  const parsed = parse(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`wirelens export: ${parsed}\n${HELP}`);
    return 2;
  }
  const store = await ExchangeStore.open(resolveDataDir({ dataDir: parsed.dataDir }));
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    if (parsed.har) {
      const result = await exportHar(store, {
        path: parsed.har,
        filter: parsed.filter,
        ids: parsed.ids,
        signal: controller.signal,
        onProgress: progressLine('exported'),
      });
      process.stderr.write(`${process.stderr.isTTY ? '\n' : ''}`);
      process.stdout.write(`${result.count} exchanges written to ${result.path}\n`);
    } else {
      const result = await saveCapture(store, parsed.capture!, {
        signal: controller.signal,
        onProgress: progressLine('bytes'),
      });
      process.stdout.write(
        `${store.size} exchanges saved to ${result.path} (${result.bytes} bytes)\n`,
      );
    }
    return 0;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    process.stderr.write(`wirelens export: ${e.code ? `${e.code}: ` : ''}${e.message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    await store.close();
  }
}
