/**
 * The composer's raw editor is CodeMirror (a contenteditable `textbox`, not a textarea):
 * its text is read back as its lines' text joined by LF (`innerText` would add a line for
 * each empty one). A CR shows as ␍; a tab stays a tab.
 */
import { expect, type Locator } from '@playwright/test';

export async function rawEditorText(editor: Locator): Promise<string> {
  return (await editor.locator('.cm-line').allTextContents()).join('\n');
}

/** Waits until the editor's text matches (the editor has no `value` to poll). */
export async function expectRawText(editor: Locator, pattern: RegExp): Promise<void> {
  await expect.poll(() => rawEditorText(editor), { timeout: 15_000 }).toMatch(pattern);
}
