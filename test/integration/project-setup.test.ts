import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, removeTempDirs } from '../../fixtures/git.js';
import { readProjectConfig } from '../../src/domain/project-config.js';
import { BLOCK_BEGIN, BLOCK_END, INSTRUCTION_BLOCK, withInstructions } from '../../src/integration/agent-instructions.js';
import { disableProject, enableProject } from '../../src/integration/project-setup.js';

afterAll(removeTempDirs);

const CLAUDE_MD = '# House rules\n\nRun `npm test` before every commit.\n';

describe('init, enable and disable on CLAUDE.md and AGENTS.md', () => {
  it('appends our block to an existing file, creates a missing one, and marks the project enabled', async () => {
    const root = makeRepo({ 'CLAUDE.md': CLAUDE_MD });
    const setup = await enableProject(root);
    expect(setup.files.map((file) => file.change)).toEqual(['updated', 'created']);
    expect(readFileSync(join(root, 'CLAUDE.md'), 'utf8')).toBe(`${CLAUDE_MD}\n${INSTRUCTION_BLOCK}\n`);
    expect(readFileSync(join(root, 'AGENTS.md'), 'utf8')).toBe(`${INSTRUCTION_BLOCK}\n`);
    expect(await readProjectConfig(root)).toEqual({ enabled: true, instructionFilesCreated: ['AGENTS.md'] });
    expect(INSTRUCTION_BLOCK).toContain('coordination_init');
  });

  it('replaces only our block on a re-run, wherever a human moved it', async () => {
    const stale = `# Top\n\n${BLOCK_BEGIN}\nold words\n${BLOCK_END}\n\n## Below\nkeep me\n`;
    const root = makeRepo({ 'CLAUDE.md': stale, 'AGENTS.md': CLAUDE_MD });
    await enableProject(root);
    const claude = readFileSync(join(root, 'CLAUDE.md'), 'utf8');
    expect(claude).toBe(`# Top\n\n${INSTRUCTION_BLOCK}\n\n## Below\nkeep me\n`);
    const second = await enableProject(root);
    expect(second.files.map((file) => file.change)).toEqual(['unchanged', 'unchanged']);
    expect(readFileSync(join(root, 'CLAUDE.md'), 'utf8')).toBe(claude);
  });

  it('disable restores the human-written text exactly and deletes only the files lockstep created', async () => {
    const root = makeRepo({ 'CLAUDE.md': CLAUDE_MD });
    await enableProject(root);
    const setup = await disableProject(root);
    expect(setup.files.map((file) => file.change)).toEqual(['removed', 'deleted']);
    expect(readFileSync(join(root, 'CLAUDE.md'), 'utf8')).toBe(CLAUDE_MD);
    expect(existsSync(join(root, 'AGENTS.md'))).toBe(false);
    expect(await readProjectConfig(root)).toEqual({ enabled: false });
  });

  it('enable after disable brings the blocks back; a created file the human has since written to is kept', async () => {
    const root = makeRepo();
    await enableProject(root);
    writeFileSync(join(root, 'AGENTS.md'), `# Codex notes\n\n${readFileSync(join(root, 'AGENTS.md'), 'utf8')}`);
    await disableProject(root);
    expect(readFileSync(join(root, 'AGENTS.md'), 'utf8')).toBe('# Codex notes\n');
    expect(existsSync(join(root, 'CLAUDE.md'))).toBe(false);
    await enableProject(root);
    expect(readFileSync(join(root, 'AGENTS.md'), 'utf8')).toBe(`# Codex notes\n\n${INSTRUCTION_BLOCK}\n`);
    expect((await readProjectConfig(root)).enabled).toBe(true);
  });

  it('refuses a file with a lone marker and changes nothing', async () => {
    const root = makeRepo({ 'AGENTS.md': `notes\n${BLOCK_BEGIN}\nhalf a block\n` });
    await expect(enableProject(root)).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('AGENTS.md') });
    expect(existsSync(join(root, 'CLAUDE.md'))).toBe(false);
    expect(() => withInstructions(`${BLOCK_END}\n`, 'X.md')).toThrow(/only one of the markers/);
  });
});
