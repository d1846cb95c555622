// `npm start`: build the client first if dist/ is missing, then run the reference server
// (TypeScript, loaded through tsx) on PORT (default 8000).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

if (!existsSync(new URL('../dist/parley.js', import.meta.url))) {
  console.log('dist/ is missing: building the client first (npm run build)...');
  const result = spawnSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', 'rollup.config.mjs'], {
    stdio: 'inherit',
    cwd: new URL('..', import.meta.url),
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

register();
await import('../demo/server/main.ts');
