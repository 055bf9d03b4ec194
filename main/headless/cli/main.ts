/**
 * The `wirelens` command line: parses the verb and hands over to the verb's module.
 * Each verb lives in its own file (`verb-*.ts`) and is registered in ./verbs.ts.
 */
import { VERBS } from './verbs';
import { readVersion } from './version';

const USAGE = `Wirelens — an HTTP traffic inspector: a capture proxy, a raw-socket sender,
and a byte-exact message view.

Usage: wirelens <command> [options]

Commands:
${VERBS.map((v) => `  ${v.name.padEnd(10)} ${v.summary}`).join('\n')}

Options:
  -h, --help     Show this help (or \`wirelens <command> --help\`)
  -v, --version  Print the version

The desktop app: \`npm start\`. Data folder: --data-dir DIR or WIRELENS_DATA_DIR.`;

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    process.stdout.write(USAGE + '\n');
    return first === undefined ? 1 : 0;
  }
  if (first === '-v' || first === '--version') {
    process.stdout.write(readVersion() + '\n');
    return 0;
  }
  const verb = VERBS.find((v) => v.name === first);
  if (!verb) {
    process.stderr.write(`wirelens: unknown command "${first}". Run \`wirelens --help\`.\n`);
    return 2;
  }
  try {
    return await verb.run(rest);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`wirelens ${verb.name}: ${message}\n`);
    return 1;
  }
}
