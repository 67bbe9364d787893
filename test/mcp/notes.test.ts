import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../../fixtures/git.js';
import { useMcpAgents } from '../../fixtures/mcp-agents.js';

const { agent, connect } = useMcpAgents();

const texts = (result: Record<string, any>) => result.notes.map((note: { text: string }) => note.text);

afterAll(() => removeTempDirs());

describe('note tools over MCP', () => {
  it('delivers a private note to its recipient once and hides it from everyone else', async () => {
    const planner = await agent('planner', 'planner');
    const bob = await agent('bob');
    const carol = await agent('carol');

    const { id } = await planner.call('note_append', { text: 'bob: take task 3', to: 'bob' });
    const first = await bob.call('note_list');
    const again = await bob.call('note_list');

    expect(first).toMatchObject({ notes: [{ id, author: 'planner', to: 'bob', text: 'bob: take task 3' }], cursor: id, more: false });
    expect(again.notes).toEqual([]);
    expect((await carol.call('note_list')).notes).toEqual([]);
    expect(texts(await bob.call('note_list', { since: '0' }))).toEqual(['bob: take task 3']);
  });

  it("tells the recipient about a new note in its next result's pending block", async () => {
    const planner = await agent('planner', 'planner');
    const bob = await agent('bob');
    await planner.call('note_append', { text: 'heads-up' });

    const result = await bob.call('note_list', { limit: 5 });

    expect(texts(result)).toEqual(['heads-up']);
    expect(result.pending).toMatchObject({ notes: 1 });
  });

  it('refuses a note an unidentified session signs with any name, and lets it read the latest ones', async () => {
    const human = await connect();
    const carol = await agent('carol');

    expect(await human.callError('note_append', { text: 'one', author: 'human' })).toMatch(/^IDENTITY_REQUIRED: /);
    await carol.call('note_append', { text: 'one' });
    await carol.call('note_append', { text: 'two' });

    expect(texts(await human.call('note_list', { limit: 1 }))).toEqual(['two']);
    expect(texts(await human.call('note_list', { from: 'carol' }))).toEqual(['one', 'two']);
  });

  it('refuses a note without identity or author, and bad input before storing anything', async () => {
    const human = await connect();

    expect(await human.callError('note_append', { text: 'who?' })).toMatch(/^IDENTITY_REQUIRED: .* Next: Call coordination_init/);
    expect(await human.callError('note_append', { text: '' })).toContain('Input validation error');
    expect(await human.callError('note_append', { text: 'x', author: 'a', cc: 'b' })).toContain('Input validation error');
    expect(await human.callError('note_list', { limit: 500 })).toContain('Input validation error');
    expect(await human.callError('note_list', { since: 'latest' })).toContain('Input validation error');
    expect((await human.call('note_list', { since: 0 })).notes).toEqual([]);
  });
});
