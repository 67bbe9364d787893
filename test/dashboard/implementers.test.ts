// The dashboard's implementers list: what each implementer last called (recorded with its heartbeat,
// so a busy agent's reads cost no write), and its branch's last commit and position against the target.

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTestDashboard, type TestDashboard } from '../../fixtures/dashboard.js';
import { git, makeRepo, removeTempDirs, writeTree } from '../../fixtures/git.js';
import { connectInMemory, type ToolClient } from '../../fixtures/mcp.js';

afterAll(removeTempDirs);

const open: { d: TestDashboard; ada: ToolClient }[] = [];
afterEach(async () => {
  for (const { d, ada } of open.splice(0)) {
    await ada.close();
    await d.close();
  }
});

function commitAll(dir: string, message: string): void {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '--quiet', '-m', message]);
}

/** Longer than any heartbeat interval: the next call records the agent as seen again. */
const PAST_HEARTBEAT_MS = 60_000;

describe('the implementers list', () => {
  it('shows the tool of the last recorded call, the last commit subject and the branch ahead/behind the target', async () => {
    const repo = makeRepo({ 'README.md': '# r\n', 'app.js': 'one\n' }, { defaultBranch: 'main' });
    const d = await makeTestDashboard({ repo });
    const ada = await connectInMemory(d.t);
    open.push({ d, ada });
    await ada.call('coordination_init', { role: 'implementer', name: 'ada' });
    expect((await d.get('/api/implementers')).json.implementers).toEqual([expect.objectContaining({ name: 'ada', lastTool: 'coordination_init' })]);

    const task = await d.t.app.tasks.create(d.t.caller('plan', 'planner'), { title: 'Feature', complexity: 'complex', isolation: 'worktree' });
    d.t.clock.advance(PAST_HEARTBEAT_MS);
    await ada.call('task_claim', { id: task.id });
    const worktree = (await d.t.app.worktrees.locate(d.t.caller('ada'), 'ada'))!;
    writeTree(worktree.path, { 'app.js': 'one\ntwo\n' });
    commitAll(worktree.path, 'Teach app.js to count to two');
    writeTree(repo, { 'README.md': '# moved on\n' });
    commitAll(repo, 'The target moves on');

    const [ada1] = (await d.get('/api/implementers')).json.implementers;
    expect(ada1).toMatchObject({ name: 'ada', lastTool: 'task_claim', task: task.id, lastCommit: { subject: 'Teach app.js to count to two', ahead: 1, behind: 1 } });
  });
});
