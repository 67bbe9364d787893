import { describe, expect, it } from 'vitest';
import { checkAgentGit, isGit } from '../../src/policy/git-argv.js';

const refusal = (argv: string[]) => expect(() => checkAgentGit(argv)).toThrow(expect.objectContaining({ code: 'COMMAND_FORBIDDEN' }));

describe('the allow-listed git policy', () => {
  it('accepts everyday work in one\'s own worktree', () => {
    for (const argv of [
      ['git', 'status', '--porcelain'],
      ['git', 'diff', '--stat', 'HEAD~1'],
      ['git', 'log', '-S', 'needle', '--oneline'],
      ['git', 'commit', '-am', 'message'],
      ['git', 'grep', '-n', 'x', '--', '-O'],
      ['git', 'branch', '--show-current'],
      ['git', 'diff', '--text'],
    ]) {
      expect(() => checkAgentGit(argv), argv.join(' ')).not.toThrow();
    }
  });

  it('refuses global options, unlisted sub-commands and options that write, read outside or start programs', () => {
    refusal(['git']);
    refusal(['git', '--no-pager', 'log']);
    refusal(['git', 'push']);
    refusal(['git', 'commit', '-F', '/etc/passwd']);
    refusal(['git', 'commit', '--file=/etc/passwd']);
    refusal(['git', 'grep', '-f', '/etc/passwd']);
    refusal(['git', 'stash']);
    refusal(['git', 'branch', 'new-branch']);
  });

  it('treats a listed path to a binary named git as git', () => {
    expect(isGit('/usr/bin/git')).toBe(true);
    expect(isGit('gitk')).toBe(false);
  });
});
