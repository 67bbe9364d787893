// The dashboard acts with a human's authority: every refusal here is a way another site, another local
// program or a rebinding DNS name could otherwise act on it. Each refused write must store nothing.

import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDashboard, TEST_TOKEN, type TestDashboard } from '../../fixtures/dashboard.js';
import { removeTempDirs } from '../../fixtures/git.js';

afterAll(removeTempDirs);

let d: TestDashboard;
beforeEach(async () => {
  d = await makeTestDashboard();
  await d.t.app.tasks.create(d.t.caller('plan', 'planner'), { title: 'first' });
});
afterEach(() => d.close());

const eventCount = () => d.t.app.context.store.read(d.t.repo, (tx) => tx.count('events'));

describe('dashboard security', () => {
  it('exchanges the token in the URL for an HttpOnly SameSite=Strict cookie and redirects it out of the address', async () => {
    const answer = await d.raw(`/?token=${TEST_TOKEN}&project=x`);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/?project=x');
    expect(answer.headers['set-cookie']).toEqual([`lockstep_session=${TEST_TOKEN}; HttpOnly; SameSite=Strict; Path=/`]);
  });

  it('refuses a request without the cookie, or with a wrong token, with TOKEN_INVALID', async () => {
    expect(await d.raw('/api/projects')).toMatchObject({ status: 401, json: { error: { code: 'TOKEN_INVALID' } } });
    expect(await d.raw('/api/projects', { headers: { cookie: 'lockstep_session=nope' } })).toMatchObject({ status: 401 });
    expect(await d.raw('/?token=wrong')).toMatchObject({ status: 401, json: { error: { code: 'TOKEN_INVALID' } } });
  });

  it('refuses a Host that is not an address it serves (DNS rebinding), even with the token', async () => {
    const answer = await d.raw(`/?token=${TEST_TOKEN}`, { headers: { host: 'evil.example:80' } });
    expect(answer).toMatchObject({ status: 403, json: { error: { code: 'HOST_FORBIDDEN' } } });
    expect(answer.headers['set-cookie']).toBeUndefined();
    expect(await d.get('/api/projects', { host: `localhost:${d.dashboard.port}` })).toMatchObject({ status: 200 });
  });

  it('refuses a state change from a foreign Origin or with none, and stores nothing', async () => {
    const before = await eventCount();
    const foreign = await d.post('/api/project/status', { status: 'stopped' }, { origin: 'http://evil.example' });
    expect(foreign).toMatchObject({ status: 403, json: { error: { code: 'ORIGIN_FORBIDDEN' } } });
    const none = await d.raw('/api/project/status', {
      method: 'POST',
      body: '{"status":"stopped"}',
      headers: { cookie: d.cookie, 'content-type': 'application/json' },
    });
    expect(none).toMatchObject({ status: 403, json: { error: { code: 'ORIGIN_FORBIDDEN' } } });
    expect(await eventCount()).toBe(before);
    expect((await d.t.app.project.getContext(d.t.caller())).status).toBe('planning');
  });

  it('answers oversized, malformed, mistyped and unknown-id requests with a 4xx code and stores nothing', async () => {
    const before = await eventCount();
    const huge = await d.post('/api/tasks/1/request-changes', { feedback: 'x'.repeat(70_000) });
    expect(huge).toMatchObject({ status: 413, json: { error: { code: 'MESSAGE_TOO_LARGE' } } });
    const malformed = await d.raw('/api/tasks/1/request-changes', {
      method: 'POST',
      body: '{"feedback": ',
      headers: { cookie: d.cookie, origin: d.origin, 'content-type': 'application/json' },
    });
    expect(malformed).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT' } } });
    expect(await d.post('/api/tasks/1/request-changes', { feedback: 42 })).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT' } } });
    expect(await d.post('/api/tasks/abc/approve', {})).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT' } } });
    expect(await d.post('/api/tasks/999/approve', {})).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND' } } });
    expect(await d.get('/api/tasks/999')).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND' } } });
    expect(await d.get('/api/tasks?limit=lots')).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT' } } });
    expect(await d.get('/api/overview?project=/not/a/project')).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND' } } });
    expect(await eventCount()).toBe(before);
  });

  it('sends a CSP that allows only its own scripts and styles, and no inline script', async () => {
    const answer = await d.get('/api/projects');
    const csp = String(answer.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });
});
