/**
 * Size budgets of the built files (run after `npx rollup -c rollup.config.mjs`; `npm test` builds first):
 * the script-tag bundle `dist/parley.js` with everything inside, and the npm ESM client entry with
 * the chunks it imports (its dependencies stay external there). Sizes are gzip -9, KB = 1024 bytes.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const KB = 1024;
const gz = (file: string): number => gzipSync(readFileSync(file), { level: 9 }).length;

function requireBuilt(file: string): string {
  const path = join(root, file);
  assert.ok(existsSync(path), `${file} is missing: build first with npx rollup -c rollup.config.mjs`);
  return path;
}

/** The file and every relative module it imports, transitively. */
function withLocalImports(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      visit(resolve(dirname(file), match[1]!));
    }
  };
  visit(entry);
  return [...seen];
}

test('dist/parley.js, everything included, is at most 50 KB gzip', () => {
  const size = gz(requireBuilt('dist/parley.js'));
  console.log(`dist/parley.js: ${(size / KB).toFixed(1)} KB gzip (${size} bytes)`);
  assert.ok(size <= 50 * KB, `dist/parley.js is ${(size / KB).toFixed(1)} KB gzip, over the 50 KB budget`);
});

test('the ESM client dist/esm/index.js with the chunks it imports is at most 21 KB gzip', () => {
  const files = withLocalImports(requireBuilt('dist/esm/index.js'));
  const size = files.reduce((sum, file) => sum + gz(file), 0);
  console.log(`dist/esm/index.js + ${files.length - 1} chunk(s): ${(size / KB).toFixed(1)} KB gzip (${size} bytes)`);
  assert.ok(size <= 21 * KB, `the ESM client is ${(size / KB).toFixed(1)} KB gzip, over the 21 KB budget`);
});
