// Planner admission at the domain level, on both backends: who may grant it, what it admits, and that
// it is used up by one session and re-armed by granting it again.

import { afterAll, describe, expect, it } from 'vitest';
import { useDomainApp } from '../../fixtures/domain-app.js';
import { everyBackend } from '../../fixtures/backends.js';
import { removeTempDirs } from '../../fixtures/git.js';
import type { Caller } from '../../src/domain/context.js';

afterAll(removeTempDirs);

describe.each(await everyBackend())('planner admission on %s', (storage) => {
  const h = useDomainApp(storage);
  const session = (id: string): Caller => ({ project: h.t.caller().project, session: { id } });
  const joinAsPlanner = (id: string, name: string) => h.t.app.agents.register(session(id), { role: 'planner', name });

  it('admits the first planner by being first, and nobody after it without an admission', async () => {
    await joinAsPlanner('first', 'plan');
    await expect(joinAsPlanner('second', 'boss')).rejects.toMatchObject({ code: 'ADMISSION_REQUIRED', details: { name: 'boss' } });
  });

  it('is granted by a planner or a human only, for a valid name', async () => {
    await joinAsPlanner('first', 'plan');
    await expect(h.t.app.admissions.admit(h.ada, 'boss')).rejects.toMatchObject({ code: 'ROLE_FORBIDDEN' });
    await expect(h.t.app.admissions.admit(h.planner, '-rm')).rejects.toMatchObject({ code: 'INVALID_NAME' });
    expect(await h.t.app.admissions.admitByHuman(h.t.caller().project, 'boss')).toEqual({ admitted: 'boss', admittedBy: 'human (CLI)' });
    expect((await joinAsPlanner('second', 'boss')).agent).toMatchObject({ id: 'boss', role: 'planner', session: 'second' });
  });

  it('is used up by one session and re-armed by granting it again', async () => {
    await joinAsPlanner('first', 'plan');
    await h.t.app.admissions.admit(h.planner, 'boss');
    await joinAsPlanner('second', 'boss');
    await expect(joinAsPlanner('third', 'boss')).rejects.toMatchObject({ code: 'ADMISSION_REQUIRED' });
    await h.t.app.admissions.admit(h.planner, 'boss');
    expect((await joinAsPlanner('third', 'boss')).resumed).toBe(true);
  });

  it('keeps a session its first role', async () => {
    const caller = session('s');
    await h.t.app.agents.register(caller, { role: 'implementer', name: 'ada' });
    await expect(h.t.app.agents.register(caller, { role: 'planner', name: 'boss' })).rejects.toMatchObject({ code: 'ROLE_FORBIDDEN' });
    expect(caller.session?.role).toBe('implementer');
  });
});
