// Builds the dashboard page: bundles web/src (preact + htm + diff2html) into web/dist, which is the
// only folder the dashboard serves. Run by `npm run build` (and so by `prepare`); dist is not committed.

import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const web = dirname(fileURLToPath(import.meta.url));
const out = join(web, 'dist');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: join(web, 'src/main.js'), style: join(web, 'src/style.css') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  outdir: out,
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(join(web, 'index.html'), join(out, 'index.html'));

// The first load budget (300 KB compressed with 1,000 tasks) is spent mostly here: show what it costs.
if (process.argv.includes('--sizes')) {
  for (const name of readdirSync(out)) {
    const bytes = readFileSync(join(out, name));
    console.log(`${name}\t${statSync(join(out, name)).size} B\t${gzipSync(bytes).length} B gzip`);
  }
}
