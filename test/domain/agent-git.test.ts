// Attacks through an allow-listed git (issue 7, item 5): every escape hatch an agent used with
// `--command-allow git,npm`, run through command_run on a real repository. Nothing may run.

import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { git, makeTempDir, removeTempDirs } from '../../fixtures/git.js';

const apps: TestApp[] = [];
async function app(): Promise<TestApp> {
  const made = await makeTestApp({
    files: { 'a.txt': 'a\n', '.gitattributes': '*.txt diff=x\n' },
    settings: { logDir: makeTempDir('lockstep-logs-'), commandMode: 'allowlist', commandAllow: ['git', 'npm'] },
  });
  apps.push(made);
  return made;
}

afterEach(() => {
  for (const made of apps.splice(0)) made.app.close();
});
afterAll(() => removeTempDirs());

function payload(): { marker: string; command: string } {
  const marker = join(makeTempDir('lockstep-payload-'), 'ran');
  return { marker, command: `touch '${marker}'; false` };
}

async function refused(t: TestApp, command: string, env?: Record<string, string>): Promise<{ code: string; message: string; next?: string }> {
  const error = await t.app.commands.run(t.caller('ada'), { command, ...(env && { env }) }).then(() => null, (caught: unknown) => caught);
  expect(error, command).toMatchObject({ code: expect.stringMatching(/^(COMMAND|ENV)_FORBIDDEN$/) });
  return error as { code: string; message: string; next?: string };
}

describe('an allow-listed git', () => {
  it.each([
    ['git -c alias.x=!touch\\ /tmp/lockstep-alias x', 'before the sub-command'],
    ['git -c core.fsmonitor=touch\\ /tmp/lockstep-fsm status', 'before the sub-command'],
    ['git -c core.sshCommand=touch\\ /tmp/lockstep-ssh ls-remote ssh://example.test/r', 'before the sub-command'],
    ['git -c protocol.ext.allow=always ls-remote "ext::touch /tmp/lockstep-ext"', 'before the sub-command'],
    ['git -C /tmp status', 'before the sub-command'],
    ['git --git-dir=/tmp/x status', 'before the sub-command'],
    ['git ls-remote "ext::touch /tmp/lockstep-ext"', 'not an allow-listed git sub-command'],
    ['git config core.fsmonitor x', 'not an allow-listed git sub-command'],
    ['git diff --output=/tmp/lockstep-out', 'writes a file'],
    ['git grep --open-files-in-pager=touch a', 'starts a program'],
    ['git grep -nOtouch a', 'starts a program'],
    ['git diff --ext-diff', 'starts a program'],
    ['git show --textconv HEAD:a.txt', 'starts a program'],
    ['git diff --no-index /etc/hostname a.txt', 'outside the repository'],
    ['git branch -D main', 'may only list branches'],
  ])('refuses %s', async (command, reason) => {
    const t = await app();
    expect((await refused(t, command)).message).toContain(reason);
  });

  it('refuses a HOME (or XDG_CONFIG_HOME, GIT_*) override that would bring another .gitconfig', async () => {
    const t = await app();
    const home = makeTempDir();
    const { marker, command } = payload();
    writeFileSync(join(home, '.gitconfig'), `[core]\n\tfsmonitor = ${command}\n`);
    for (const key of ['HOME', 'XDG_CONFIG_HOME', 'GIT_CONFIG_GLOBAL', 'npm_config_userconfig', 'BASH_ENV', 'PYTHONSTARTUP']) {
      expect((await refused(t, 'git status', { [key]: home })).code).toBe('ENV_FORBIDDEN');
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('runs status, diff, show and log without starting the fsmonitor, textconv or external diff planted in .git/config', async () => {
    const t = await app();
    const { marker, command } = payload();
    for (const key of ['core.fsmonitor', 'diff.x.textconv', 'diff.x.command', 'diff.external', 'core.pager']) git(t.repo, ['config', key, command]);
    writeFileSync(join(t.repo, 'a.txt'), 'changed\n');
    const caller = t.caller('ada');

    expect((await t.app.commands.run(caller, { command: 'git status --porcelain' })).stdout).toContain('a.txt');
    expect((await t.app.commands.run(caller, { command: 'git diff' })).stdout).toContain('+changed');
    expect((await t.app.commands.run(caller, { command: 'git show HEAD' })).exitCode).toBe(0);
    expect((await t.app.commands.run(caller, { command: 'git log -p -1' })).exitCode).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it('commits without running a planted pre-commit hook, clean filter or signing program', async () => {
    const t = await app();
    const { marker, command } = payload();
    const hooks = join(t.repo, '.git', 'hooks');
    mkdirSync(hooks, { recursive: true });
    writeFileSync(join(hooks, 'pre-commit'), `#!/bin/sh\n${command}\n`);
    chmodSync(join(hooks, 'pre-commit'), 0o755);
    writeFileSync(join(t.repo, '.gitattributes'), '*.txt filter=x\n');
    git(t.repo, ['config', 'filter.x.clean', command]);
    git(t.repo, ['config', 'commit.gpgSign', 'true']);
    git(t.repo, ['config', 'gpg.program', command]);
    writeFileSync(join(t.repo, 'a.txt'), 'changed\n');
    const caller = t.caller('ada');

    expect((await t.app.commands.run(caller, { command: 'git add -A' })).exitCode).toBe(0);
    const result = await t.app.commands.run(caller, { command: 'git commit -q -m change' });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(git(t.repo, ['log', '-1', '--format=%s'])).toBe('change');
    expect(existsSync(marker)).toBe(false);
  });

  it('says that allowlisting an interpreter or package manager allows arbitrary code', async () => {
    const t = await app();
    const error = await refused(t, 'node -e 1');
    expect(error.next).toMatch(/npm.*python.*arbitrary code/s);
  });
});
