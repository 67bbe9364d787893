import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../../fixtures/git.js';
import { useMcpAgents } from '../../fixtures/mcp-agents.js';
import type { ToolClient } from '../../fixtures/mcp.js';

const DAY = 86_400_000;

const mcp = useMcpAgents();
let planner: ToolClient;
let bob: ToolClient;

beforeEach(async () => {
  planner = await mcp.agent('planner', 'planner');
  bob = await mcp.agent('bob');
});

afterAll(() => removeTempDirs());

describe('discussion tools over MCP', () => {
  it('carries a question from start through inbox, reply and resolution', async () => {
    const started = await bob.call('discussion_start', {
      topic: 'Which queue?',
      message: 'Redis or SQLite?',
      category: 'blocker',
      priority: 'blocking',
      waitingOn: 'planner',
    });
    expect(started).toMatchObject({ id: 1, status: 'waiting', waitingOn: 'planner', messageId: 1 });

    const inbox = await planner.call('discussion_inbox');
    expect(inbox).toMatchObject({ agent: 'planner', discussions: [{ id: 1, topic: 'Which queue?', priority: 'blocking', author: 'bob' }] });
    expect(inbox.pending).toMatchObject({ discussions: [1] });

    const detail = await planner.call('discussion_get', { discussionId: '1' });
    expect(detail.messages).toMatchObject([{ author: 'bob', message: 'Redis or SQLite?' }]);

    const reply = await planner.call('discussion_reply', { discussionId: 1, message: 'SQLite', recommendation: 'one file' });
    expect(reply).toMatchObject({ id: 1, status: 'waiting', waitingOn: 'bob', messageId: 2 });
    expect((await bob.call('discussion_inbox', { agent: 'bob' })).discussions).toMatchObject([{ id: 1 }]);
    expect((await bob.call('discussion_list', { waitingOn: 'bob', category: 'blocker' })).discussions).toMatchObject([{ id: 1 }]);

    const resolved = await planner.call('discussion_resolve', { discussionId: 1, decision: 'SQLite', reasoning: 'no server' });
    expect(resolved).toMatchObject({ id: 1, status: 'resolved', decision: 'SQLite', decidedBy: 'planner' });
    expect((await bob.call('discussion_inbox')).discussions).toEqual([]);
  });

  it('refuses to re-resolve or reply to a resolved discussion with the code and the next step', async () => {
    await bob.call('discussion_start', { topic: 'Q', message: 'm' });
    await planner.call('discussion_resolve', { discussionId: 1, decision: 'A', reasoning: 'r' });

    expect(await bob.callError('discussion_resolve', { discussionId: 1, decision: 'B', reasoning: 'r' })).toMatch(
      /^DISCUSSION_CLOSED: .*planner decided: A\. Next: Start a new discussion \(discussion_start\)/,
    );
    expect(await bob.callError('discussion_reply', { discussionId: 1, message: 'but' })).toMatch(/^DISCUSSION_CLOSED: /);
    expect(await bob.callError('discussion_get', { discussionId: 9 })).toMatch(/^NOT_FOUND: discussion 9 /);
    expect(await bob.callError('discussion_resolve', { discussionId: 1, decision: 'B', reasoning: 'r', linkedTaskId: 5 })).toMatch(
      /^DISCUSSION_CLOSED: /,
    );
  });

  it('refuses a decision linked to a task that does not exist', async () => {
    await bob.call('discussion_start', { topic: 'Q', message: 'm' });

    expect(await planner.callError('discussion_resolve', { discussionId: 1, decision: 'A', reasoning: 'r', linkedTaskId: 5 })).toMatch(
      /^NOT_FOUND: task 5 /,
    );
  });

  it('archives a discussion and cleans up old ones by age', async () => {
    await bob.call('discussion_start', { topic: 'drop me', message: 'm', waitingOn: 'planner' });
    await bob.call('discussion_start', { topic: 'decided', message: 'm' });
    await planner.call('discussion_resolve', { discussionId: 2, decision: 'A', reasoning: 'r' });

    expect(await planner.call('discussion_archive', { discussionId: 1 })).toMatchObject({ id: 1, status: 'archived' });
    expect((await planner.call('discussion_list', { status: 'archived' })).discussions).toMatchObject([{ id: 1 }]);
    mcp.test.clock.advance(8 * DAY);
    expect(await planner.call('discussion_cleanup', { deleteOlderThanDays: 5 })).toMatchObject({ archived: 1, deleted: 1 });
    expect((await planner.call('discussion_list', { status: 'archived' })).discussions).toMatchObject([{ id: 2 }]);
  });

  it('refuses an unidentified session even when it names the author or agent, and lets it read', async () => {
    const human = await mcp.connect();

    expect(await human.callError('discussion_start', { topic: 'Q', message: 'm' })).toMatch(/^IDENTITY_REQUIRED: this session has no identity/);
    expect(await human.callError('discussion_inbox')).toMatch(/^IDENTITY_REQUIRED: /);
    expect(await human.callError('discussion_start', { topic: 'Q', message: 'm', author: 'human', waitingOn: 'bob' })).toMatch(
      /^IDENTITY_REQUIRED: .*cannot act as author "human"/,
    );
    expect(await human.callError('discussion_inbox', { agent: 'bob' })).toMatch(/^IDENTITY_REQUIRED: /);
    await planner.call('discussion_start', { topic: 'Q', message: 'm', waitingOn: 'bob' });
    expect((await human.call('discussion_list', { waitingOn: 'bob', projectRoot: mcp.test.repo })).discussions).toMatchObject([{ id: 1 }]);
  });

  it('refuses wrong types, unknown enums and extra properties before storing anything', async () => {
    const refused = [
      ['discussion_start', { topic: 'Q', message: 'm', category: 'gossip' }],
      ['discussion_start', { topic: 'Q', message: 'm', priority: 'urgent' }],
      ['discussion_start', { topic: 'Q', message: 'm', cc: 'carol' }],
      ['discussion_reply', { discussionId: 'one', message: 'm' }],
      ['discussion_reply', { discussionId: -1, message: 'm' }],
      ['discussion_list', { status: 'closed' }],
      ['discussion_cleanup', { archiveOlderThanDays: -1 }],
    ] as const;
    for (const [tool, args] of refused) {
      expect(await bob.callError(tool, args)).toContain('Input validation error');
    }
    expect((await bob.call('discussion_list')).discussions).toEqual([]);
  });
});
