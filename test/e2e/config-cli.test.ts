// `lockstep-mcp config` as the human meets it: the built binary lists what awaits approval, approves
// only after a yes typed at a terminal (script(1) provides one), and refuses when no terminal is there,
// as when an agent runs the command itself.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, makeTempDir, removeTempDirs, writeTree } from '../../fixtures/git.js';
import { BUILT_CLI } from '../../fixtures/mcp.js';
import { configApprovalStates } from '../../src/domain/config-approval.js';
import { shellCommand } from '../../src/launch/quoting.js';

afterAll(removeTempDirs);

/** util-linux script(1): runs a command on a pseudo-terminal, feeding it our stdin. */
const SCRIPT = '/usr/bin/script';

function configCli(args: string[], dataDir: string, input?: string) {
  return spawnSync(process.execPath, [BUILT_CLI, 'config', ...args, '--data-dir', dataDir], { encoding: 'utf8', input: input ?? '' });
}

describe('lockstep-mcp config', () => {
  it.skipIf(!existsSync(SCRIPT))('approves the shown values only after a yes at a terminal, and refuses without one', async () => {
    const repo = makeRepo();
    const dataDir = makeTempDir('lockstep-data-');
    writeTree(repo, { '.lockstep/config.json': JSON.stringify({ gateCommand: 'node gate.js', enabled: true }) });
    const project = { id: repo, root: repo };

    const before = configCli(['status', '--project', repo], dataDir);
    expect(before.status).toBe(1);
    expect(before.stdout).toMatch(/NOT approved\s+gateCommand\s+"node gate.js"/);
    expect(before.stdout).not.toContain('enabled');

    const agent = configCli(['approve', '--project', repo], dataDir, 'y\n');
    expect(agent.status).toBe(1);
    expect(agent.stderr).toContain('CONFIG_UNAPPROVED');
    expect(await configApprovalStates(dataDir, project)).toEqual([{ setting: 'gateCommand', value: 'node gate.js', approved: false }]);

    const argv = [process.execPath, BUILT_CLI, 'config', 'approve', '--project', repo, '--data-dir', dataDir];
    const declined = spawnSync(SCRIPT, ['-qec', shellCommand(argv), '/dev/null'], { encoding: 'utf8', input: 'n\n' });
    expect(declined).toMatchObject({ status: 1, stdout: expect.stringContaining('Nothing approved') });
    expect((await configApprovalStates(dataDir, project))[0]!.approved).toBe(false);

    const approved = execFileSync(SCRIPT, ['-qec', shellCommand(argv), '/dev/null'], { encoding: 'utf8', input: 'y\n' });
    expect(approved).toContain('gateCommand = "node gate.js"');
    expect(approved).toContain('Approved gateCommand');
    expect(existsSync(join(dataDir, 'config-approvals.json'))).toBe(true);
    expect(configCli(['status', '--project', repo], dataDir)).toMatchObject({ status: 0, stdout: expect.stringMatching(/approved\s+gateCommand/) });

    expect(configCli(['revoke', 'gateCommand', '--project', repo], dataDir).stdout).toContain('Revoked gateCommand');
    expect((await configApprovalStates(dataDir, project))[0]!.approved).toBe(false);
  });
});
