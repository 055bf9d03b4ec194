/**
 * Finds a Chromium-family browser: `CHROMIUM_PATH` first, then the usual install paths
 * on Linux, macOS and Windows. Chromium-family only, because interception trust relies on
 * Chromium's `--ignore-certificate-errors-spki-list` flag.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface FindOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homeDir?: string;
  /** Injectable for tests; default `existsSync`. */
  exists?: (file: string) => boolean;
}

export function chromiumCandidates(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  homeDir: string,
): string[] {
  if (platform === 'darwin') {
    const apps = [
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Chromium.app/Contents/MacOS/Chromium',
      'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      'Brave Browser.app/Contents/MacOS/Brave Browser',
    ];
    return [
      ...apps.map((app) => path.posix.join('/Applications', app)),
      ...apps.map((app) => path.posix.join(homeDir, 'Applications', app)),
    ];
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter(
      (root): root is string => !!root,
    );
    const apps = [
      'Google\\Chrome\\Application\\chrome.exe',
      'Chromium\\Application\\chrome.exe',
      'Microsoft\\Edge\\Application\\msedge.exe',
      'BraveSoftware\\Brave-Browser\\Application\\brave.exe',
    ];
    return roots.flatMap((root) => apps.map((app) => path.win32.join(root, app)));
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    '/usr/bin/microsoft-edge',
    '/usr/bin/brave-browser',
  ];
}

/** The browser to launch, or null when none is installed. */
export function findChromium(options: FindOptions = {}): string | null {
  const env = options.env ?? process.env;
  const exists = options.exists ?? existsSync;
  if (env.CHROMIUM_PATH) {
    // An explicit path that does not exist is a mistake worth reporting, not skipping.
    if (!exists(env.CHROMIUM_PATH)) {
      throw new Error(`CHROMIUM_PATH is set to ${env.CHROMIUM_PATH}, which does not exist`);
    }
    return env.CHROMIUM_PATH;
  }
  const candidates = chromiumCandidates(
    options.platform ?? process.platform,
    env,
    options.homeDir ?? os.homedir(),
  );
  return candidates.find((file) => exists(file)) ?? null;
}

export const CHROMIUM_NOT_FOUND =
  'no Chromium-based browser found: install Chromium or Google Chrome, or set CHROMIUM_PATH';
