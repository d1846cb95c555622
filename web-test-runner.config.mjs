// Browser tests: real Chromium (Debian's), TypeScript through esbuild, MSW's worker served from the root.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { countingReporter } from './scripts/wtr-counting-reporter.mjs';
import { chromiumArgs, findChromium } from './scripts/chromium.mjs';

const mswWorker = 'node_modules/msw/lib/mockServiceWorker.js';

export default {
  files: ['test/src/**/*.test.ts', 'test/components/**/*.test.ts', '!test/**/*.node.test.ts'],
  nodeResolve: { browser: true },
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  testsFinishTimeout: 300000,
  browserStartTimeout: 60000,
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: new URL('./tsconfig.json', import.meta.url).pathname, target: 'es2022' }),
  ],
  middleware: [
    // A real HTTP/1.1 upload sink (no service worker can stand in for upload progress): it reads the
    // body slowly, so the browser reports progress as the bytes leave, then answers 201 with the size.
    async (ctx, next) => {
      if (ctx.path !== '/__test/upload-sink' || ctx.method !== 'POST') return next();
      let size = 0;
      for await (const chunk of ctx.req) {
        size += chunk.length;
        // 1 ms per 32 KiB, whatever the chunking: about 32 MB/s.
        await new Promise((resolve) => setTimeout(resolve, Math.ceil(chunk.length / 32768)));
      }
      ctx.status = 201;
      ctx.body = { size, authorization: ctx.get('authorization') || null };
    },
    (ctx, next) => {
      if (ctx.path === '/mockServiceWorker.js') ctx.url = `/${mswWorker}`;
      return next();
    },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: findChromium(),
        headless: true,
        args: chromiumArgs,
      },
    }),
  ],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countingReporter(process.env.PARLEY_WTR_COUNTS)],
};
