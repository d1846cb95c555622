/**
 * `npm run bench`: every measure of issue 6, each Parley figure beside its anchor measured in this
 * same run. Prints one table and writes `bench-results.json` at the repository root. A measure that
 * fails prints its rows as `error: <reason>`; the exit status is non-zero only then.
 *
 *   npm run bench                 all measures
 *   npm run bench -- fanout rest  only the measures whose names contain one of the words
 *   BENCH_NO_BUILD=1              measure dist/ as it is
 *   BENCH_TIME_SCALE=2            double every measure's time limit
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ackRoundtrip } from './ack-roundtrip.js';
import { bundleSize } from './bundle-size.js';
import { fanout } from './fanout.js';
import { fanoutRedis } from './fanout-redis.js';
import { longConversation } from './long-conversation.js';
import { outboxFlush } from './outbox-flush.js';
import { postgres } from './postgres.js';
import { restThroughput } from './rest-throughput.js';
import { streamReply } from './stream-reply.js';
import { streaming } from './streaming.js';
import { tabsBench } from './tabs.js';
import { ROOT, type BenchContext, type Measure } from './support.js';
import { errorRow, formatTable, writeResults, type Row } from './table.js';

/** Whole-run ceiling: the issue asks for under 10 minutes. */
const RUN_BUDGET_MS = 9 * 60_000;
/** BENCH_TIME_SCALE=2 doubles every measure's time limit (a slow machine); the run ceiling stays. */
const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE) > 0 ? Number(process.env.BENCH_TIME_SCALE) : 1;

const measures: Measure[] = [
  bundleSize,
  ackRoundtrip,
  fanout,
  fanoutRedis,
  postgres,
  restThroughput,
  outboxFlush,
  longConversation,
  streamReply,
  streaming,
  tabsBench,
];

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const file of readdirSync(dir, { recursive: true })) {
    const stat = statSync(join(dir, String(file)));
    if (stat.isFile()) newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

/** Builds dist/ when it is missing or older than the sources; returns the failure, if any. */
async function ensureBuilt(): Promise<string | null> {
  const outputs = ['dist/parley.js', 'dist/esm/index.js'].map((file) => join(ROOT, file));
  const builtAt = Math.min(...outputs.map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)));
  const sourcesAt = Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'components')));
  if (builtAt > 0 && builtAt >= sourcesAt) return null;
  console.log(
    builtAt === 0 ? 'dist/ is missing: building (npm run build)...' : 'dist/ is older than the sources: rebuilding...',
  );
  const started = Date.now();
  const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'node_modules/rollup/dist/bin/rollup'), '-c', 'rollup.config.mjs'],
      {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
  if (result.code === 0) {
    console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return null;
  }
  // eslint-disable-next-line no-control-regex -- strips the ANSI colour codes of rollup's output
  const lines = result.output.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  const firstError = lines.find((line) => /TS\d{4}|Error:/.test(line)) ?? lines.filter(Boolean).pop();
  console.log(lines.slice(0, 15).join('\n'));
  return `build failed: ${
    firstError
      ?.replace(/^.*?(RollupError: )/, '')
      .trim()
      .slice(0, 180) ?? `exit ${result.code}`
  }`;
}

async function runMeasure(measure: Measure, shared: Map<string, unknown>, remainingMs: number): Promise<Row[]> {
  const closers: (() => unknown)[] = [];
  const controller = new AbortController();
  let cleanedUp = false;
  const ctx: BenchContext = {
    // A resource opened after a timed-out measure was cleaned up is closed at once.
    defer: (close) => {
      if (!cleanedUp) closers.push(close);
      else
        void Promise.resolve()
          .then(close)
          .catch(() => undefined);
    },
    signal: controller.signal,
    shared,
    log: (message) => console.log(`  [${measure.name}] ${message}`),
  };
  const limit = Math.min(measure.timeoutMs * TIME_SCALE, remainingMs);
  let timer: NodeJS.Timeout | undefined;
  const started = Date.now();
  console.log(`> ${measure.name}`);
  let rows: Row[];
  try {
    if (limit <= 0) throw new Error('skipped: the run budget is spent');
    rows = await Promise.race([
      measure.run(ctx),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new Error(`timed out after ${Math.round(limit / 1000)} s`));
        }, limit);
      }),
    ]);
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 300);
    console.log(`  [${measure.name}] error: ${reason}`);
    rows = measure.rows.map((row) => errorRow(row.measure, reason, row.goal));
  } finally {
    clearTimeout(timer);
    controller.abort();
    cleanedUp = true;
    for (const close of closers.reverse()) {
      try {
        await Promise.race([close(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      } catch (err) {
        console.log(`  [${measure.name}] cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  console.log(`  [${measure.name}] ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return rows;
}

async function main(): Promise<number> {
  const started = Date.now();
  const filters = process.argv.slice(2);
  const selected = filters.length ? measures.filter((m) => filters.some((f) => m.name.includes(f))) : measures;
  const shared = new Map<string, unknown>();
  // BENCH_NO_BUILD=1 measures dist/ as it is (e.g. while the sources are mid-edit).
  const buildError = process.env.BENCH_NO_BUILD === '1' ? null : await ensureBuilt();
  if (buildError) shared.set('buildError', buildError);

  const rows: Row[] = [];
  for (const measure of selected) {
    rows.push(...(await runMeasure(measure, shared, RUN_BUDGET_MS - (Date.now() - started))));
  }
  console.log(`\n${formatTable(rows)}\n`);
  const out = join(ROOT, 'bench-results.json');
  writeResults(out, rows);
  console.log(`wrote ${out} in ${((Date.now() - started) / 1000).toFixed(0)} s total`);
  return rows.some((row) => typeof row.parley === 'string') ? 1 : 0;
}

// Explicit exit: a straggling handle in a dependency must never keep the run alive.
main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
