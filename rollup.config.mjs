// Builds (1) the npm ESM package: dist/esm/index.js (the client), dist/esm/elements.js (the custom
// elements) and dist/esm/react.js (the React wrapper, with @lit/react inside), every dependency and
// peer dependency external, with bundled .d.ts files; (2) dist/parley.js: one minified IIFE with
// everything inside, which sets window.Parley and registers the elements; (3) the Custom Elements
// Manifest dist/custom-elements.json (custom-elements-manifest.config.mjs). Source maps for each.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

// Hashed chunk names change with every build: start from an empty dist/ so no stale chunk ships.
rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const deps = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
// A dependency and every subpath of it (lit/decorators.js, react/jsx-runtime, ...) stays external.
const external = (id) => deps.some((dep) => id === dep || id.startsWith(`${dep}/`));

const ts = () =>
  typescript({
    tsconfig: './tsconfig.json',
    include: ['src/**/*.ts', 'components/**/*.ts'],
    // inlineSources: the maps carry the TypeScript they point to (src/ and components/ are not published).
    compilerOptions: { noEmit: false, declaration: false, sourceMap: true, inlineSources: true, types: [] },
    noEmitOnError: true,
  });

const onwarn = (warning, warn) => {
  if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.message)) return;
  if (warning.code === 'THIS_IS_UNDEFINED') return;
  warn(warning);
};

/** Runs the Custom Elements Manifest analyzer once the bundles are written (it reads components/). */
const customElementsManifest = () => ({
  name: 'custom-elements-manifest',
  closeBundle() {
    const cem = new URL('./node_modules/@custom-elements-manifest/analyzer/cem.js', import.meta.url);
    const result = spawnSync(
      process.execPath,
      [cem.pathname, 'analyze', '--config', 'custom-elements-manifest.config.mjs'],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    if (result.status !== 0) throw new Error('the custom elements manifest could not be generated');
  },
});

const inputs = { index: 'src/index.ts', elements: 'components/elements.ts', react: 'components/react.ts' };

export default [
  {
    input: inputs,
    external,
    // Minified like the script-tag file: the doc comments live in the .d.ts files. node-resolve only
    // sees what is not external: @lit/react, bundled into react.js so installing needs nothing more.
    // `module`: top-level names of an ES module are private to it, so terser may shorten them too.
    // Class names are not kept: the error classes set `name` themselves, and nothing reads the rest.
    plugins: [
      nodeResolve({ browser: true }),
      ts(),
      terser({ module: true, compress: { passes: 2 }, format: { comments: false } }),
    ],
    onwarn,
    output: {
      dir: 'dist/esm',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      sourcemap: true,
    },
  },
  {
    input: inputs,
    external,
    // respectExternal: types of what is bundled (@lit/react) are inlined too; dependencies stay imports.
    plugins: [dts({ tsconfig: './tsconfig.json', compilerOptions: { types: [] }, respectExternal: true })],
    output: {
      dir: 'dist/esm',
      format: 'es',
      entryFileNames: '[name].d.ts',
      chunkFileNames: 'chunks/[name]-[hash].d.ts',
    },
  },
  {
    input: 'components/script-tag.ts',
    plugins: [
      nodeResolve({ browser: true }),
      ts(),
      terser({ format: { comments: false }, compress: { passes: 2 } }),
      customElementsManifest(),
    ],
    onwarn,
    output: { file: 'dist/parley.js', format: 'iife', name: 'ParleyBundle', sourcemap: true },
  },
];
