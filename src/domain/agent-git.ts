// An agent's allow-listed `git` in allowlist mode: checked against the git policy, then run with the
// same disarmed settings as our own git, so nothing planted in the repository's config runs.

import { hardenedInvocation, inheritedEnvironment } from '../../git/exec.js';
import { checkAgentGit } from '../policy/git-argv.js';

export async function agentGitInvocation(
  argv: readonly string[],
  cwd: string,
  agentEnv: Record<string, string>,
): Promise<{ argv: string[]; env: Record<string, string> }> {
  checkAgentGit(argv);
  const hardened = await hardenedInvocation(cwd, argv.slice(1));
  return {
    argv: [argv[0]!, ...hardened.args],
    // Abbreviated long options would slip past the policy's exact names (`--open-f` for --open-files-in-pager).
    env: { ...inheritedEnvironment(), ...agentEnv, ...hardened.env, GIT_TEST_DISALLOW_ABBREVIATED_OPTIONS: 'true' },
  };
}
