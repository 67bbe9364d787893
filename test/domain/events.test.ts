import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp } from '../../fixtures/app.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { EVENTS_KEPT, recordEvent } from '../../src/domain/events.js';

afterAll(removeTempDirs);

describe('the event log', () => {
  it('numbers events per project without gaps and keeps the log bounded', async () => {
    const { app, repo } = await makeTestApp();
    const total = EVENTS_KEPT + 1_500;
    await app.context.store.write(repo, function* (tx) {
      for (let index = 0; index < total; index++) yield* recordEvent(tx, 0, { kind: 'note_added', actor: 'a', subject: index });
    });
    const { count, newest, oldest } = await app.context.store.read(repo, function* (tx) {
      return ({
      count: (yield* tx.count('events')),
      newest: (yield* tx.max('events', 'seq')),
      oldest: (yield* tx.find('events', { orderBy: 'seq', limit: 1 }))[0]!.seq,
    });
    });
    expect(newest).toBe(total);
    expect(count).toBeLessThanOrEqual(EVENTS_KEPT + 500);
    expect(count).toBeGreaterThanOrEqual(EVENTS_KEPT);
    expect(oldest).toBe(newest - count + 1);
  });
});
