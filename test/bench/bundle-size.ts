/**
 * Bytes users pay: `dist/parley.js` (gzip, brotli) against the sum of its own dependencies, each
 * bundled bare with the same resolver and minifier; and the client ESM `.` export (gzip).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';
import { ROOT, type BenchContext, type Measure } from './support.js';
import type { Row } from './table.js';

const KIB = 1024;
/** The dependencies the brief names, used when the source imports none yet. */
const DEFAULT_DEPS = ['lit', 'ky', 'reconnecting-websocket', 'idb-keyval'];

export const gzipSize = (data: Buffer | string) => gzipSync(data, { level: 9 }).length;
export const brotliSize = (data: Buffer | string) =>
  brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(data),
    },
  }).length;

function packageRoot(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((file) => join(dir, String(file)))
    .filter((file) => /\.(ts|js|mjs)$/.test(file) && !file.endsWith('.d.ts'));
}

/**
 * The runtime dependencies the browser code imports (src/ and components/), each with the exact
 * specifiers it uses (`lit`, `lit/decorators.js`, ...). Type-only imports do not count.
 */
export function browserDependencies(): Map<string, Set<string>> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const declared = new Set(Object.keys(pkg.dependencies ?? {}));
  const found = new Map<string, Set<string>>();
  const importRe =
    /(?:^|[;\s])(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const file of [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'components'))]) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(importRe)) {
      if (match[1]) continue; // import type
      const specifier = match[2] ?? match[3]!;
      if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
      const root = packageRoot(specifier);
      if (!declared.has(root)) continue;
      if (!found.has(root)) found.set(root, new Set());
      found.get(root)!.add(specifier);
    }
  }
  if (found.size === 0) for (const dep of DEFAULT_DEPS) found.set(dep, new Set([dep]));
  return found;
}

/** One dependency bundled bare: every specifier Parley imports, all of its exports kept. */
async function bareBundle(specifiers: readonly string[]): Promise<string> {
  const entry =
    specifiers.map((specifier, i) => `import * as m${i} from ${JSON.stringify(specifier)};`).join('\n') +
    `\nexport { ${specifiers.map((_, i) => `m${i}`).join(', ')} };\n`;
  const ENTRY = '\0bench-entry';
  const bundle = await rollup({
    input: ENTRY,
    plugins: [
      {
        name: 'bench-entry',
        resolveId: (id) => (id === ENTRY ? ENTRY : null),
        load: (id) => (id === ENTRY ? entry : null),
      },
      nodeResolve({ browser: true, rootDir: ROOT }),
      terser({ format: { comments: false }, compress: { passes: 2 } }),
    ],
    onwarn: () => {},
  });
  try {
    const { output } = await bundle.generate({ format: 'iife', name: 'BareDependency' });
    return output[0].code;
  } finally {
    await bundle.close();
  }
}

/** The client ESM as an app's bundler would ship it: dependencies external, minified by terser. */
async function minifiedEsm(entry: string): Promise<string> {
  const bundle = await rollup({
    input: entry,
    external: (id) => !id.startsWith('.') && !id.startsWith('/'),
    plugins: [terser({ format: { comments: false }, compress: { passes: 2 } })],
    onwarn: () => {},
  });
  try {
    const { output } = await bundle.generate({ format: 'es' });
    return output.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('\n');
  } finally {
    await bundle.close();
  }
}

/** dist/esm/index.js and every chunk it imports, statically or dynamically (relative paths only). */
export function esmClosure(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from\s*|import\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      queue.push(join(dirname(file), match[1]!));
    }
  }
  return [...seen];
}

export const bundleSize: Measure = {
  name: 'bundle-size',
  timeoutMs: 120_000,
  rows: [
    { measure: 'script-tag dist/parley.js, gzip', goal: '<= 48 KiB gz' },
    { measure: 'script-tag dist/parley.js, brotli', goal: 'reported' },
    { measure: 'client ESM "." export, gzip', goal: '<= 18 KiB gz' },
    { measure: 'client ESM "." export, minified, gzip', goal: 'reported' },
  ],
  async run(ctx: BenchContext): Promise<Row[]> {
    const buildError = ctx.shared.get('buildError');
    if (typeof buildError === 'string') throw new Error(buildError);
    const scriptTag = join(ROOT, 'dist/parley.js');
    const esmIndex = join(ROOT, 'dist/esm/index.js');
    if (!existsSync(scriptTag) || !existsSync(esmIndex)) throw new Error('dist/ is missing (the build failed)');
    const parley = readFileSync(scriptTag);

    const deps = browserDependencies();
    let depsGzip = 0;
    let depsBrotli = 0;
    const parts: string[] = [];
    for (const [dep, specifiers] of deps) {
      const code = await bareBundle([...specifiers].sort());
      const gz = gzipSize(code);
      depsGzip += gz;
      depsBrotli += brotliSize(code);
      parts.push(`${dep} ${(gz / KIB).toFixed(1)}`);
    }
    ctx.log(`bare dependencies (KiB gz): ${parts.join(', ')}`);

    const esmFiles = esmClosure(esmIndex);
    const esmGzip = esmFiles.reduce((sum, file) => sum + gzipSize(readFileSync(file)), 0);
    const esmMinGzip = gzipSize(await minifiedEsm(esmIndex));

    const gz = gzipSize(parley) / KIB;
    const br = brotliSize(parley) / KIB;
    const anchorNote = `anchor: ${[...deps.keys()].join(' + ')}, each bundled bare (rollup + node-resolve browser + terser, every specifier Parley imports, all exports kept), sizes summed: ${parts.join(', ')} KiB gz`;
    return [
      {
        measure: 'script-tag dist/parley.js, gzip',
        parley: gz,
        anchor: depsGzip / KIB,
        unit: 'KiB',
        ratio: gz / (depsGzip / KIB),
        goal: '<= 48 KiB gz',
        met: gz <= 48,
        note: `${anchorNote}; gzip -9, 1 KiB = 1024 B; ratio = Parley / anchor`,
      },
      {
        measure: 'script-tag dist/parley.js, brotli',
        parley: br,
        anchor: depsBrotli / KIB,
        unit: 'KiB',
        ratio: br / (depsBrotli / KIB),
        goal: 'reported',
        met: null,
      },
      {
        measure: 'client ESM "." export, gzip',
        parley: esmGzip / KIB,
        anchor: null,
        unit: 'KiB',
        ratio: null,
        goal: '<= 18 KiB gz',
        met: esmGzip / KIB <= 18,
        note: `the published files as they are (not minified, doc comments included), dependencies external, each gzipped, summed: ${esmFiles.map((f) => relative(ROOT, f)).join(', ')}`,
      },
      {
        measure: 'client ESM "." export, minified, gzip',
        parley: esmMinGzip / KIB,
        anchor: null,
        unit: 'KiB',
        ratio: null,
        goal: 'reported',
        met: null,
        note: 'the same code as an app bundler ships it: rollup from dist/esm/index.js, dependencies external, terser (2 passes), gzip -9',
      },
    ];
  },
};
