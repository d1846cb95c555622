/**
 * The seed guide's scenario 4, "File upload": a PNG and a PDF, each with a visible progress bar, are
 * sent as messages that show (image preview, PDF link) in both tabs; a 12 MiB file and an
 * executable named `.png` are refused with a clear error in the UI and send nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page, Route } from 'playwright-core';
import { clientView, messages, openPage, openPanel, part, sendText, signIn } from './support/browser.js';
import { eventually } from './support/eventually.js';
import { executable, oversizedPng, PDF, PNG } from './support/files.js';
import { useServerAndBrowser } from './support/scenario.js';

const scenario = useServerAndBrowser();

/** Picks a file through the attach button's file chooser, as a user would. */
async function attach(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser', { timeout: 15_000 }),
    part(page, 'attach').click(),
  ]);
  await chooser.setFiles({ name, mimeType, buffer });
}

/**
 * Holds the next upload request until released, so the test can see the progress bar while the
 * upload is in flight instead of racing a fast local upload.
 */
async function holdNextUpload(page: Page): Promise<{ held: Promise<Route>; release(): Promise<void> }> {
  let resolveHeld!: (route: Route) => void;
  const held = new Promise<Route>((resolve) => (resolveHeld = resolve));
  await page.route('**/api/chat/upload/**', (route) => resolveHeld(route), { times: 1 });
  return {
    held,
    async release() {
      await (await held).continue();
    },
  };
}

/** Failed uploads are listed above the composer with their error text. */
const uploadErrors = (page: Page) => page.locator('parley-chat li.upload.error');
const attachmentIn = (page: Page, selector: string) => messages(page).locator(selector);

test(
  'a PNG and a PDF upload with visible progress and show in both tabs; an oversized file and a fake PNG get a clear error',
  { timeout: 180_000 },
  async () => {
    const context = await scenario.browser.newContext();
    try {
      const tab1 = await openPage(context, scenario.server.url);
      await signIn(tab1, 'alice', 'alice123');
      await sendText(tab1, 'Files coming');
      const conversationId = await eventually('a conversation', async () => (await clientView(tab1)).conversationId);

      const tab2 = await openPage(context, scenario.server.url);
      await openPanel(tab2);
      await eventually(
        'tab 2 to be in the same conversation and connected',
        () => clientView(tab2),
        (view) => view.conversationId === conversationId && view.state === 'open',
      );

      // PNG: progress bar while in flight, then an inline preview in both tabs.
      const pngUpload = await holdNextUpload(tab1);
      await attach(tab1, 'pixel.png', 'image/png', PNG);
      await pngUpload.held;
      await part(tab1, 'progress').waitFor({ state: 'visible', timeout: 15_000 });
      await pngUpload.release();
      for (const tab of [tab1, tab2]) {
        await attachmentIn(tab, 'img[alt="pixel.png"]').waitFor({ state: 'visible', timeout: 30_000 });
        const src = await attachmentIn(tab, 'img[alt="pixel.png"]').getAttribute('src');
        assert.match(src ?? '', /\/uploads\//, 'the preview loads the stored file');
      }
      await eventually('the PNG to load in tab 2', () =>
        attachmentIn(tab2, 'img[alt="pixel.png"]').evaluate((img) => (img as HTMLImageElement).naturalWidth),
      );
      await part(tab1, 'progress').waitFor({ state: 'detached', timeout: 15_000 });

      // PDF: same, shown as a download link.
      const pdfUpload = await holdNextUpload(tab1);
      await attach(tab1, 'report.pdf', 'application/pdf', PDF);
      await pdfUpload.held;
      await part(tab1, 'progress').waitFor({ state: 'visible', timeout: 15_000 });
      await pdfUpload.release();
      for (const tab of [tab1, tab2]) {
        const link = attachmentIn(tab, 'a[href*="/uploads/"]').filter({ hasText: 'report.pdf' });
        await link.waitFor({ state: 'visible', timeout: 30_000 });
      }

      const bubblesBefore = await messages(tab1, 'user').count();

      // 12 MiB: over the 10 MiB limit.
      await attach(tab1, 'huge.png', 'image/png', oversizedPng());
      const hugeError = uploadErrors(tab1).filter({ hasText: 'huge.png' });
      await hugeError.waitFor({ state: 'visible', timeout: 60_000 });
      const hugeText = await hugeError.innerText();
      assert.match(hugeText, /huge\.png/, 'the error names the file');
      assert.match(
        hugeText,
        /too (large|big)|10 ?MB|10 ?MiB|size|limit/i,
        `the error says the file is too large: "${hugeText}"`,
      );

      // An executable named .png: refused by content.
      await attach(tab1, 'setup.png', 'image/png', executable());
      const fakeError = uploadErrors(tab1).filter({ hasText: 'setup.png' });
      await fakeError.waitFor({ state: 'visible', timeout: 30_000 });
      const fakeText = await fakeError.innerText();
      assert.match(fakeText, /setup\.png/, 'the error names the file');
      assert.match(
        fakeText,
        /type|format|not (allowed|supported)|only|image|PDF/i,
        `the error says the file type is refused: "${fakeText}"`,
      );

      assert.equal(await messages(tab1, 'user').count(), bubblesBefore, 'a refused upload sends no message');
      assert.equal(
        await attachmentIn(tab2, 'img[alt="huge.png"], img[alt="setup.png"]').count(),
        0,
        'nothing refused shows in tab 2',
      );
    } finally {
      await context.close();
    }
  },
);
