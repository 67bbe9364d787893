// Builds the dashboard page: bundles web/src (preact + htm + diff2html) into web/dist, which is the
// only folder the dashboard serves. Run by `npm run build` (and so by `prepare`); dist is not committed.

import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
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

// Compressed once here, so sirv (gzip/brotli options) serves them without compressing per request.
for (const name of ['app.js', 'style.css', 'index.html']) {
  const bytes = readFileSync(join(out, name));
  writeFileSync(join(out, `${name}.gz`), gzipSync(bytes, { level: 9 }));
  writeFileSync(join(out, `${name}.br`), brotliCompressSync(bytes));
}

// The first load budget (300 KB compressed with 1,000 tasks) is spent mostly here: show what it costs.
if (process.argv.includes('--sizes')) {
  for (const name of readdirSync(out)) console.log(`${name}\t${statSync(join(out, name)).size} B`);
}
