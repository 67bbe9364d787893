// Text at the MCP edge: an empty optional string means "not given", and text that cannot be stored
// exactly (NUL, unpaired UTF-16 surrogates) is refused with INVALID_INPUT naming the field.

import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../../fixtures/git.js';
import { useMcpAgents } from '../../fixtures/mcp-agents.js';

const { agent } = useMcpAgents();

afterAll(() => removeTempDirs());

describe('an empty optional string', () => {
  it('is treated as absent, so the default applies', async () => {
    const planner = await agent('plan', 'planner');
    const { task } = await planner.call('task_create', { title: 'Lexer', description: '', owner: '' });
    const stored = (await planner.call('task_get', { id: task.id })).task;
    expect(stored.description).toBeUndefined();
    expect(stored.owner).toBeUndefined();
  });

  it('still refuses an empty required string', async () => {
    const planner = await agent('plan', 'planner');
    expect(await planner.callError('task_create', { title: '' })).toContain('Input validation error');
  });

  it('leaves the advertised schema as it was: optional text is still a string', async () => {
    const planner = await agent('plan', 'planner');
    const { tools } = await planner.client.listTools();
    const create = tools.find((tool) => tool.name === 'task_create')!;
    expect(create.inputSchema.properties!.description).toEqual({ type: 'string' });
    expect(create.inputSchema.required).toEqual(['title']);
  });
});

describe('text that cannot be kept exactly', () => {
  it.each([
    ['a NUL character', 'a\0b'],
    ['an unpaired high surrogate', 'a\uD800c'],
    ['an unpaired low surrogate', '\uDC00'],
    ['both', 'a\0b\uD800c'],
  ])('is refused when it holds %s, naming the field', async (_what, title) => {
    const planner = await agent('plan', 'planner');
    expect(await planner.callError('task_create', { title })).toMatch(/^INVALID_INPUT: title .*Next: /);
    expect((await planner.call('task_list', {})).tasks).toEqual([]);
  });

  it('is refused inside arrays and records too', async () => {
    const planner = await agent('plan', 'planner');
    expect(await planner.callError('task_create', { title: 'x', tags: ['ok', 'b\0d'] })).toMatch(/^INVALID_INPUT: tags\[1\] /);
    expect(await planner.callError('task_create', { title: 'x', metadata: { 'k\uD800': 1 } })).toMatch(/^INVALID_INPUT: metadata /);
    expect(await planner.callError('task_create', { title: 'x', metadata: { k: ['\uDFFF'] } })).toMatch(/^INVALID_INPUT: metadata\.k\[0\] /);
  });

  it('is kept exactly when well formed: a surrogate pair, other control characters', async () => {
    const planner = await agent('plan', 'planner');
    const title = 'emoji \uD83D\uDE00 tab\t bell\u0007 \uFFFF';
    const { task } = await planner.call('task_create', { title });
    expect((await planner.call('task_get', { id: task.id })).task.title).toBe(title);
  });

  it('is refused by tools of every family, before the handler runs', async () => {
    const ada = await agent('ada');
    expect(await ada.callError('note_append', { text: 'hi\0' })).toMatch(/^INVALID_INPUT: text /);
    expect(await ada.callError('lock_acquire', { path: 'src/\uD800.ts' })).toMatch(/^INVALID_INPUT: path /);
    expect(await ada.callError('file_write', { path: 'a.txt', content: 'x\0y' })).toMatch(/^INVALID_INPUT: content .*base64/);
    expect((await ada.call('note_list', {})).notes).toEqual([]);
  });
});
