import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, removeTempDirs } from '../../fixtures/git.js';
import { PROJECT_CONFIG_FILE, readProjectConfig, updateProjectConfig } from '../../src/domain/project-config.js';

afterAll(removeTempDirs);

describe('the project config file', () => {
  it('is empty when absent, and an update keeps the keys it does not name', async () => {
    const repo = makeRepo();
    expect(await readProjectConfig(repo)).toEqual({});
    await updateProjectConfig(repo, { targetBranch: 'develop', verifyCommand: 'npm test' });
    await updateProjectConfig(repo, { enabled: false, verifyCommand: undefined });
    expect(await readProjectConfig(repo)).toEqual({ targetBranch: 'develop', enabled: false });
  });

  it('names the file and the problem when it is broken, and leaves it alone', async () => {
    const repo = makeRepo();
    mkdirSync(join(repo, '.lockstep'));
    const file = join(repo, PROJECT_CONFIG_FILE);
    writeFileSync(file, '{ "targetBranch": 3 }');
    await expect(readProjectConfig(repo)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(file) });
    writeFileSync(file, '{ not json');
    await expect(updateProjectConfig(repo, { enabled: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(readFileSync(file, 'utf8')).toBe('{ not json');
  });

  it('refuses keys it does not know, so a typo is not silently ignored', async () => {
    const repo = makeRepo();
    mkdirSync(join(repo, '.lockstep'));
    writeFileSync(join(repo, PROJECT_CONFIG_FILE), '{ "targetBrnch": "main" }');
    await expect(readProjectConfig(repo)).rejects.toMatchObject({ message: expect.stringContaining('targetBrnch') });
  });
});
