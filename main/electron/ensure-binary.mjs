#!/usr/bin/env node
// `npm start` / `npm run dist` need Electron's binary. `npm install` does not run
// Electron's download script (package.json "allowScripts" denies it, so that installs and
// tests work on machines that cannot reach Electron's download host). This fetches it on
// first use where that host is reachable, and says plainly what to do where it is not.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));
const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;

function installed() {
  if (override) return existsSync(override);
  try {
    return readFileSync(path.join(electronDir, 'path.txt'), 'utf8').length > 0;
  } catch {
    return false;
  }
}

if (!installed()) {
  console.log('Electron binary not found: downloading it once (node_modules/electron/install.js)…');
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
    stdio: 'inherit',
  });
  if (result.status !== 0 || !installed()) {
    console.error(
      'Could not get the Electron binary. Either allow the download\n' +
        '  (npm install-scripts approve electron && npm rebuild electron),\n' +
        'or point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron folder.\n' +
        'Without it, the same UI runs in your browser: npx wirelens web',
    );
    process.exit(1);
  }
}
