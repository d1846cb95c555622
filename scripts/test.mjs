// `npm test`: every suite, one total line at the end: "N passed, N failed".
// Suites: format, lint, typecheck, build (+ size budgets inside the browser suite), browser tests (web-test-runner in
// Chromium), Node tests (server), the server tests again on PostgreSQL (when PARLEY_TEST_PG_URL names a
// database to start from; .ci/run sets it), end-to-end (real server + Chromium). Exit status non-zero on
// any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { requireChromium } from './chromium.mjs';

const chrome = requireChromium();
process.env.CHROME_PATH = chrome;
mkdirSync('.tmp', { recursive: true });

const only = process.argv.slice(2);
const totals = { passed: 0, failed: 0 };
const report = [];

function run(name, command, args, env = {}) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

/** A step that either passes or fails as one test (typecheck, build). */
function step(name, command, args) {
  if (only.length && !only.includes(name)) return;
  const status = run(name, command, args);
  if (status === 0) totals.passed += 1;
  else totals.failed += 1;
  report.push(`${name}: ${status === 0 ? 'passed' : 'FAILED'}`);
}

/** Test files under `dir` (recursively) whose names end with `suffix` (Node 20's --test takes no globs). */
function findTests(dir, suffix, skip = []) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((file) => join(dir, String(file)))
    .filter((file) => file.endsWith(suffix) && !skip.some((s) => file.endsWith(s)))
    .sort();
}

/** `group`: another name that selects this suite (`npm run test:node` runs node-postgres too). */
function nodeSuite(name, files, extra = [], env = {}, group = name) {
  if (only.length && !only.includes(name) && !only.includes(group)) return;
  if (files.length === 0) {
    report.push(`${name}: no test files`);
    return;
  }
  const tap = `.tmp/${name}.tap`;
  rmSync(tap, { force: true });
  const status = run(
    name,
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      ...extra,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    env,
  );
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const pass = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  let fail = Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(text)?.[1] ?? 0);
  if (status !== 0 && fail === 0) fail = 1; // the runner itself failed: never report that as green
  totals.passed += pass;
  totals.failed += fail;
  report.push(`${name}: ${pass} passed, ${fail} failed`);
}

function browserSuite(name) {
  if (only.length && !only.includes(name)) return;
  const file = '.tmp/wtr-counts.json';
  rmSync(file, { force: true });
  const status = run(name, process.execPath, ['node_modules/@web/test-runner/dist/bin.js'], {
    PARLEY_WTR_COUNTS: file,
  });
  const counts = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { passed: 0, failed: 0, sessionErrors: 0 };
  let fail = counts.failed + counts.sessionErrors;
  if (status !== 0 && fail === 0) fail = 1;
  totals.passed += counts.passed;
  totals.failed += fail;
  report.push(`${name}: ${counts.passed} passed, ${fail} failed`);
}

step('format', process.execPath, ['node_modules/prettier/bin/prettier.cjs', '--check', '.']);
step('lint', process.execPath, ['node_modules/eslint/bin/eslint.js', '.']);
step('typecheck', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']);
step('build', process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', 'rollup.config.mjs']);
browserSuite('browser');
nodeSuite('node', [
  ...findTests('test/demo', '.test.ts'),
  ...findTests('test', '.node.test.ts').filter((file) => !file.startsWith(join('test', 'demo'))),
]);
// The same server suite on PostgreSQL: every test data dir gets a fresh database next to this one.
if (!only.length || only.includes('node') || only.includes('node-postgres')) {
  if (process.env.PARLEY_TEST_PG_URL) {
    nodeSuite('node-postgres', findTests('test/demo', '.test.ts'), [], { PARLEY_TEST_ENGINE: 'postgres' }, 'node');
  } else {
    const why =
      'node-postgres: SKIPPED (PARLEY_TEST_PG_URL is not set; e.g. postgres://root@/parley_test?host=/var/run/postgresql, as .ci/run sets it)';
    console.log(`\n=== ${why}`);
    report.push(why);
  }
}
nodeSuite('e2e', findTests('test/e2e', '.test.ts'), ['--test-concurrency=1']);

console.log('\n' + report.join('\n'));
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
