import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { recordEvent } from '../../src/domain/events.js';
import type { TableName } from '../../src/store/rows.js';

afterAll(removeTempDirs);

const PLAN = { description: 'A parser', endState: 'It parses' };

/** Puts one row in every table the reset wipes, as the other services would. */
async function populate(test: TestApp, marker: string): Promise<void> {
  const now = test.clock.now();
  await test.app.agents.register(test.caller(), { role: 'implementer', name: `impl-${marker}` });
  await test.app.project.setContext(test.caller('plan', 'planner'), { ...PLAN, techStack: [marker] });
  await test.app.context.store.write(test.repo, function* (tx) {
    yield* tx.insert('tasks', {
      id: yield* tx.nextId('task'), title: marker, description: null, status: 'todo', complexity: 'medium', isolation: 'shared', owner: null,
      tags: [], metadata: {}, dependsOn: [], reviewNotes: null, feedback: null, createdBy: 'plan', createdAt: now, updatedAt: now,
    });
    yield* tx.insert('locks', {
      id: yield* tx.nextId('lock'), path: marker, kind: 'file', owner: 'plan', ownerPid: null, ownerHost: null, note: null, status: 'active',
      acquiredAt: now, expiresAt: now + 1_000, endedAt: null, endReason: null,
    });
    yield* tx.insert('notes', { id: yield* tx.nextId('note'), author: 'plan', to: null, text: marker, createdAt: now });
    yield* tx.insert('discussions', {
      id: yield* tx.nextId('discussion'), topic: marker, category: 'other', priority: 'low', status: 'open', author: 'plan', waitingOn: null,
      decision: null, reasoning: null, decidedBy: null, linkedTaskId: null, createdAt: now, updatedAt: now,
    });
    yield* tx.insert('messages', { id: yield* tx.nextId('message'), discussionId: 1, author: 'plan', message: marker, recommendation: null, createdAt: now });
    yield* recordEvent(tx, now, { kind: 'note_added', actor: 'plan' });
  });
}

const TABLES: TableName[] = ['tasks', 'locks', 'notes', 'discussions', 'messages', 'agents', 'events', 'contexts'];

function counts(test: TestApp): Promise<Record<string, number>> {
  return test.app.context.store.read(test.repo, function* (tx) {
    const found: Record<string, number> = {};
    for (const table of TABLES) found[table] = yield* tx.count(table);
    return found;
  });
}

describe('the project context', () => {
  it('starts out as planning with nothing set', async () => {
    const test = await makeTestApp();
    expect(await test.app.project.getContext(test.caller())).toEqual({ status: 'planning' });
  });

  it('changes only the fields it is given', async () => {
    const test = await makeTestApp();
    const planner = test.caller('plan', 'planner');
    await test.app.project.setContext(planner, { ...PLAN, techStack: ['ts'], tests: ['npm test'], preferredImplementer: 'codex' });
    test.clock.advance(10);
    await test.app.project.setContext(planner, { description: 'A better parser', tests: ['npm test', 'npm run e2e'] });
    expect(await test.app.project.getContext(test.caller())).toEqual({
      description: 'A better parser',
      endState: 'It parses',
      techStack: ['ts'],
      tests: ['npm test', 'npm run e2e'],
      preferredImplementer: 'codex',
      status: 'planning',
      updatedAt: test.clock.now(),
    });
  });

  it('may be set by a planner only', async () => {
    const test = await makeTestApp();
    await expect(test.app.project.setContext(test.caller('impl'), PLAN)).rejects.toMatchObject({ code: 'ROLE_FORBIDDEN' });
    await expect(test.app.project.setStatus(test.caller(), 'ready')).rejects.toMatchObject({ code: 'ROLE_FORBIDDEN' });
  });
});

describe('the project status', () => {
  it('is recorded as an event for everyone when it changes, and not when it stays', async () => {
    const test = await makeTestApp();
    const planner = test.caller('plan', 'planner');
    expect(await test.app.project.setStatus(planner, 'ready')).toEqual({ status: 'ready', previous: 'planning' });
    await test.app.project.setStatus(planner, 'ready');
    await test.app.project.setContext(planner, { ...PLAN, status: 'in_progress' });
    const events = await test.app.context.store.read(test.repo, (tx) => tx.find('events', { where: { kind: 'project_status' }, orderBy: 'seq' }));
    expect(events.map((row) => ({ target: row.target, data: row.data }))).toEqual([
      { target: null, data: { status: 'ready', previous: 'planning' } },
      { target: null, data: { status: 'in_progress', previous: 'ready' } },
    ]);
    expect((await test.app.project.getContext(test.caller())).description).toBe(PLAN.description);
  });
});

describe('session reset', () => {
  it('refuses without confirm: true', async () => {
    const test = await makeTestApp();
    await expect(test.app.project.reset(test.caller('plan', 'planner'), { confirm: false })).rejects.toMatchObject({
      code: 'CONFIRM_REQUIRED',
    });
  });

  it("wipes only the caller's project when two projects share a store file", async () => {
    const first = await makeTestApp();
    const second = await makeTestApp({ dbPath: first.config.dbPath });
    await populate(first, 'one');
    await populate(second, 'two');
    const before = await counts(second);

    const { removed } = await first.app.project.reset(first.caller('plan', 'planner'), { confirm: true });
    expect(removed).toMatchObject({ tasks: 1, locks: 1, notes: 1, discussions: 1, messages: 1, agents: 1, contexts: 1 });
    expect(await counts(first)).toEqual({ tasks: 0, locks: 0, notes: 0, discussions: 0, messages: 0, agents: 0, events: 1, contexts: 0 });
    expect(await counts(second)).toEqual(before);
    expect((await second.app.project.getContext(second.caller())).techStack).toEqual(['two']);
  });

  it('keeps the context when asked to and never hands out an id twice', async () => {
    const test = await makeTestApp();
    await populate(test, 'old');
    await test.app.project.reset(test.caller('plan', 'planner'), { confirm: true, keepProjectContext: true });
    expect((await test.app.project.getContext(test.caller())).techStack).toEqual(['old']);
    const nextTaskId = await test.app.context.store.write(test.repo, (tx) => tx.nextId('task'));
    expect(nextTaskId).toBe(2);
  });
});
