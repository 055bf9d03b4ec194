/**
 * Authoring aid: prints the parser's actual log for each case of a fixture file, to be
 * REVIEWED before pasting as the expectation. Run:
 *   node main/headless/bin/run-ts.mjs test/shared/http/print-fixture-logs.ts FILE.txt [name-substring]
 */
import { readFileSync } from 'node:fs';
import { parseFixtureFile } from './fixture-format';
import { runToLog } from './event-log';

const [file, filter] = process.argv.slice(2);
for (const c of parseFixtureFile(file, readFileSync(file, 'latin1'))) {
  if (filter && !c.name.includes(filter)) continue;
  const logs = (['strict', 'lenient'] as const).map((mode) =>
    runToLog(
      c.input,
      { kind: c.kind, mode, ...c.options },
      { sizes: [] },
      c.expectResponseTo,
      c.callEnd,
    ),
  );
  console.log(`### ${c.name}`);
  if (logs[0] === logs[1]) console.log(`>>> both\n${logs[0]}`);
  else console.log(`>>> strict\n${logs[0]}\n>>> lenient\n${logs[1]}`);
  console.log();
}
