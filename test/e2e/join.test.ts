// `lockstep-mcp join` as an implementer on another machine runs it: the built binary clones the shared
// remote, checks out lockstep/<name> at the given base, and says what to do next.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitFiles, git, makeBareRemote, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { BUILT_CLI } from '../../fixtures/mcp.js';

afterAll(removeTempDirs);

function join_(args: string[], cwd: string) {
  return spawnSync(process.execPath, [BUILT_CLI, 'join', ...args], { cwd, encoding: 'utf8' });
}

describe('lockstep-mcp join', () => {
  it('clones the remote with lockstep/<name> at the base commit and prints the next steps', () => {
    const server = makeRepo();
    const base = git(server, ['rev-parse', 'HEAD']);
    commitFiles(server, { 'later.txt': 'x\n' });
    const remote = makeBareRemote(server);
    const cwd = makeTempDir();

    const run = join_([remote, '--name', 'ada', '--base', base], cwd);

    expect(run.status).toBe(0);
    const dir = join(cwd, `${remote.split('/').pop()}-ada`);
    expect(run.stdout).toContain(`into ${dir}: lockstep/ada at ${base.slice(0, 12)}`);
    expect(run.stdout).toContain('git push origin lockstep/ada');
    expect(git(dir, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/lockstep/ada');
    expect(git(dir, ['rev-parse', 'HEAD'])).toBe(base);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
  });

  it('refuses a directory that is not empty and a name that cannot be a branch, changing nothing', () => {
    const remote = makeBareRemote(makeRepo());
    const cwd = makeTempDir();
    execFileSync('git', ['init', '--quiet', join(cwd, 'taken')]);

    const taken = join_([remote, '--name', 'ada', '--dir', 'taken'], cwd);
    const badName = join_([remote, '--name', 'bad..name', '--dir', 'fresh'], cwd);

    expect(taken.status).toBe(1);
    expect(taken.stderr).toMatch(/^lockstep-mcp: WORKTREE_BLOCKED/);
    expect(badName.status).toBe(1);
    expect(badName.stderr).toMatch(/^lockstep-mcp: INVALID_NAME/);
    expect(existsSync(join(cwd, 'fresh'))).toBe(false);
  });
});
