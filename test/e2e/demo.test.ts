// `lockstep-mcp demo --fast`, the built binary as a newcomer runs it: the story's end state in the scratch
// repository (what landed, the conflicting branch fixed and landed, the answered comment) and nothing left
// running; and the newcomer's way, the dashboard kept up until Ctrl-C.

import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { BUILT_CLI, spawnServer, type ToolClient } from '../../fixtures/mcp.js';

const run = promisify(execFile);
let dir: string;
let output: string;
let repo: string;
let reader: ToolClient;

beforeAll(async () => {
  dir = join(makeTempDir('lockstep-demo-test-'), 'demo');
  ({ stdout: output } = await run(process.execPath, [BUILT_CLI, 'demo', '--fast', '--no-open', '--dir', dir], { env: { ...process.env, BROWSER: 'none' } }));
  repo = join(dir, 'greeter');
  // Ada comes back to look, through the same public tools the story used.
  reader = await spawnServer({ cwd: repo, env: { COORD_DATA_DIR: join(dir, 'data') } });
  await reader.call('coordination_init', { role: 'implementer', name: 'ada' });
}, 120_000);

afterAll(async () => {
  await reader?.close();
  removeTempDirs();
});

describe('lockstep-mcp demo --fast', () => {
  it('prints the dashboard address with its token and tells the story step by step', () => {
    expect(output).toMatch(/Dashboard: http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/);
    for (const step of ['created task #1', 'claimed #2', 'forecast: ada\'s and bob\'s branches both change src/settings.ts', 'commented on src/salutations.ts:4', 'her pending block lists new line comments on it', 'conflicts with main; back to bob', 'waits for your review']) {
      expect(output).toContain(step);
    }
  });

  it('lands the reviewed work and the fixed conflicting branch on main, and leaves the third task in review', async () => {
    const landed = git(repo, ['log', '--format=%s', 'main']).split('\n');
    expect(landed).toEqual(expect.arrayContaining(['Greet in French', 'Fall back to English for unknown languages', 'Greet loudly']));
    git(repo, ['merge-base', '--is-ancestor', 'lockstep/ada', 'main']);
    git(repo, ['merge-base', '--is-ancestor', 'lockstep/bob', 'main']);
    // Bob's fix keeps both sides of the conflict: Ada's language and his punctuation.
    expect(git(repo, ['show', 'main:src/settings.ts'])).toBe("export const settings = { language: 'fr', punctuation: '!' };");
    expect(landed).not.toContain('Say goodbye');
    const { tasks } = await reader.call('task_list', { includeDone: true });
    expect(tasks.map((task: { title: string; status: string }) => [task.title, task.status])).toEqual(
      expect.arrayContaining([['Greet in French', 'done'], ['Greet loudly', 'done'], ['Say goodbye', 'review']]),
    );
  });

  it('leaves the planner\'s line comment answered and resolved by the implementer', async () => {
    const { threads } = await reader.call('review_comments', { task: 1 });
    expect(threads).toEqual([
      expect.objectContaining({
        author: 'lead',
        file: 'src/salutations.ts',
        line: 4,
        quote: '  return SALUTATIONS[language];',
        replies: [expect.objectContaining({ author: 'ada', body: expect.stringMatching(/^Done in [0-9a-f]{7}/) })],
        resolved: expect.objectContaining({ by: 'ada' }),
      }),
    ]);
  });

  it('refuses a --dir that already holds something, before starting anything', async () => {
    const failure = await run(process.execPath, [BUILT_CLI, 'demo', '--fast', '--no-open', '--dir', dir]).catch((error: { stderr: string }) => error);
    expect((failure as { stderr: string }).stderr).toMatch(/INVALID_INPUT: --dir .* is not empty/);
  });

  it('stops the dashboard it started when the story ends', () => {
    const records = join(dir, 'data', 'dashboard');
    expect(existsSync(records) ? readdirSync(records).filter((file) => file.endsWith('.json')) : []).toEqual([]);
  });
});

describe('lockstep-mcp demo, kept up', () => {
  it('keeps its dashboard serving after the story until Ctrl-C, then stops it and exits cleanly', async () => {
    const stayDir = join(makeTempDir('lockstep-demo-stay-'), 'demo');
    const demo = spawn(process.execPath, [BUILT_CLI, 'demo', '--fast', '--stay', '--no-open', '--dir', stayDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let printed = '';
    const url = await new Promise<string>((resolve, reject) => {
      demo.stdout!.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        const match = /The dashboard stays up at (\S+)/.exec(printed);
        if (match) resolve(match[1]!);
      });
      demo.once('exit', (code) => reject(new Error(`demo exited (${code}) early:\n${printed}`)));
    });
    // The token is exchanged for a cookie and redirected out of the address: the dashboard answers.
    const answer = await fetch(url, { redirect: 'manual' });
    expect([200, 302, 303]).toContain(answer.status);
    expect(readdirSync(join(stayDir, 'data', 'dashboard')).filter((file) => file.endsWith('.json'))).toHaveLength(1);

    demo.kill('SIGINT');
    const [code] = await once(demo, 'exit');
    expect(code).toBe(0);
    expect(printed).toContain(`Done. The scratch repository is ${join(stayDir, 'greeter')}`);
    expect(readdirSync(join(stayDir, 'data', 'dashboard')).filter((file) => file.endsWith('.json'))).toEqual([]);
  }, 120_000);
});
