// `tsx test/bench/store-run.ts`: only the store and call-path rows of `npm run bench` (needs dist/).

import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { bareSdkServerFile } from './startup.js';
import { benchStore } from './store.js';

const repo = makeRepo({ 'src/index.ts': 'export {};\n' });
const dir = makeTempDir('lockstep-bench-store-');
const lines = ['| measure | lockstep-mcp | floor | ratio |', '|---|---|---|---|'];
lines.push(...(await benchStore(repo, dir, await bareSdkServerFile(dir), Number(process.env.BENCH_ROUND_TRIPS ?? 500))));
console.log(lines.join('\n'));
removeTempDirs();
