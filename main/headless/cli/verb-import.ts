/**
 * `wirelens import`: HAR files into the data folder's store (source `import`), or a
 * capture file unpacked into an empty data folder. Skipped HAR entries are listed with
 * the entry and field at fault; the exit code is 0 when at least one exchange came in.
 */
import { readFile } from 'node:fs/promises';
import { resolveDataDir } from '../../core/data-dir';
import { openCapture } from '../../core/export/capture-file';
import { importHar } from '../../core/export/import-har';
import { ExchangeStore } from '../../core/store/exchange-store';
import { progressLine } from './verb-export';

const HELP = `Usage: wirelens import FILE.har [FILE.har…] [--data-dir DIR]
       wirelens import --capture FILE --data-dir DIR

  FILE.har         HAR files from browsers' DevTools, Charles, Insomnia, mitmproxy…
                   Exchanges keep their raw bytes rebuilt as HTTP/1.1 (see the warnings
                   on each exchange for what had to change).
  --capture FILE   Open a capture file saved with \`wirelens export --capture\`: unpacks
                   it into --data-dir, which must not hold a capture yet.
  --data-dir DIR   Data folder (default: WIRELENS_DATA_DIR or the user data folder).
`;

export async function run(args: string[]): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(HELP);
    return 0;
  }
  const files: string[] = [];
  let dataDir: string | undefined;
  let capture: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--data-dir') dataDir = args[++i];
    else if (args[i] === '--capture') capture = args[++i];
    else if (args[i].startsWith('-')) {
      process.stderr.write(`wirelens import: unknown option "${args[i]}"\n${HELP}`);
      return 2;
    } else files.push(args[i]);
  }
  if (capture !== undefined ? files.length > 0 || !capture : files.length === 0) {
    process.stderr.write(`wirelens import: give HAR files, or --capture FILE\n${HELP}`);
    return 2;
  }
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let store: ExchangeStore | null = null;
  try {
    const dir = resolveDataDir({ dataDir });
    if (capture !== undefined) {
      store = await openCapture(capture, dir, {
        signal: controller.signal,
        onProgress: progressLine('bytes'),
      });
      process.stdout.write(`${store.size} exchanges opened into ${dir}\n`);
      return 0;
    }
    store = await ExchangeStore.open(dir);
    let imported = 0;
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      const result = await importHar(store, text, {
        signal: controller.signal,
        onProgress: progressLine(`importing ${file}`),
      });
      imported += result.imported;
      process.stdout.write(
        `${file}: ${result.imported} imported, ${result.skipped.length} skipped\n`,
      );
      for (const s of result.skipped) process.stderr.write(`  skipped ${s.reason}\n`);
    }
    return imported > 0 ? 0 : 1;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    process.stderr.write(`wirelens import: ${e.code ? `${e.code}: ` : ''}${e.message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    await store?.close();
  }
}
