// Builds (1) the npm ESM package: dist/esm/index.js (the client) and dist/esm/elements.js (the custom
// elements), every dependency external, with bundled .d.ts files; (2) dist/parley.js: one minified IIFE
// with everything inside, which sets window.Parley and registers the elements.
import { readFileSync, rmSync } from 'node:fs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

// Hashed chunk names change with every build: start from an empty dist/ so no stale chunk ships.
rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const deps = Object.keys(pkg.dependencies ?? {});
// A dependency and every subpath of it (lit/decorators.js, ...) stays external.
const external = (id) => deps.some((dep) => id === dep || id.startsWith(`${dep}/`));

const ts = () =>
  typescript({
    tsconfig: './tsconfig.json',
    include: ['src/**/*.ts', 'components/**/*.ts'],
    compilerOptions: { noEmit: false, declaration: false, sourceMap: false, types: [] },
    noEmitOnError: true,
  });

const onwarn = (warning, warn) => {
  if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.message)) return;
  if (warning.code === 'THIS_IS_UNDEFINED') return;
  warn(warning);
};

export default [
  {
    input: { index: 'src/index.ts', elements: 'components/elements.ts' },
    external,
    // Minified like the script-tag file: the doc comments live in the .d.ts files.
    plugins: [ts(), terser({ format: { comments: false }, keep_classnames: true })],
    onwarn,
    output: { dir: 'dist/esm', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
  },
  {
    input: { index: 'src/index.ts', elements: 'components/elements.ts' },
    external,
    plugins: [dts({ tsconfig: './tsconfig.json', compilerOptions: { types: [] } })],
    output: {
      dir: 'dist/esm',
      format: 'es',
      entryFileNames: '[name].d.ts',
      chunkFileNames: 'chunks/[name]-[hash].d.ts',
    },
  },
  {
    input: 'components/script-tag.ts',
    plugins: [nodeResolve({ browser: true }), ts(), terser({ format: { comments: false }, compress: { passes: 2 } })],
    onwarn,
    output: { file: 'dist/parley.js', format: 'iife', name: 'ParleyBundle', sourcemap: false },
  },
];
