// The layer rules of DESIGN.md are enforced by eslint.config.js; this proves the lint
// actually catches a violation of each rule (and accepts a legal import).
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImportErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer lint', () => {
  it.each([
    ['shared/http/leak.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n"],
    ['shared/http/leak-bare.ts', "import http from 'http';\nvoid http;\n"],
    ['shared/model/leak.ts', "import { ref } from 'vue';\nvoid ref;\n"],
    ['shared/api/leak.ts', "import { app } from 'electron';\nvoid app;\n"],
    ['main/core/leak.ts', "import { app } from 'electron';\nvoid app;\n"],
    ['main/headless/leak.ts', "import { ipcMain } from 'electron';\nvoid ipcMain;\n"],
    ['renderer/src/leak.ts', "import { x } from '../../main/core/leak';\nvoid x;\n"],
    ['renderer/src/leak2.ts', "import net from 'node:net';\nvoid net;\n"],
  ])('rejects the forbidden import in %s', async (filePath, code) => {
    expect(await restrictedImportErrors(code, filePath)).not.toEqual([]);
  });

  it.each([
    ['main/electron/ok.ts', "import { app } from 'electron';\nvoid app;\n"],
    ['main/core/ok.ts', "import net from 'node:net';\nvoid net;\n"],
    [
      'renderer/src/ok.ts',
      "import type { InspectorApi } from '../../shared/api/inspector-api';\nexport type A = InspectorApi;\n",
    ],
    [
      'shared/http/ok.ts',
      "import type { Span } from '../model/exchange';\nexport type S = Span;\n",
    ],
    // Our own shared/http/ folder is not the `http` built-in.
    ['shared/har/ok.ts', "import { dechunk } from '../http/framing';\nvoid dechunk;\n"],
  ])('accepts the legal import in %s', async (filePath, code) => {
    expect(await restrictedImportErrors(code, filePath)).toEqual([]);
  });
});
