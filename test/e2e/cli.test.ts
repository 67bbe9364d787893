// The packaged command as a user meets it: installed from `npm pack` into a fresh prefix, and the
// built binary's help and version.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { BUILT_CLI } from '../../fixtures/mcp.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const projectDir = new URL('../..', import.meta.url).pathname;

afterAll(removeTempDirs);

describe('the lockstep-mcp command', () => {
  it('prints its version and the commands it knows', () => {
    expect(execFileSync(process.execPath, [BUILT_CLI, '--version'], { encoding: 'utf8' })).toContain(packageJson.version);
    const help = execFileSync(process.execPath, [BUILT_CLI, 'help'], { encoding: 'utf8' });
    expect(help).toContain('server');
    const serverHelp = execFileSync(process.execPath, [BUILT_CLI, 'help', 'server'], { encoding: 'utf8' });
    expect(serverHelp).toContain('--db-path');
    expect(serverHelp).toContain('--command-allow');
  });

  it('runs from a fresh clone through npx, as the README says', () => {
    const version = execFileSync('npx', ['--offline', 'lockstep-mcp', '--version'], { cwd: projectDir, encoding: 'utf8' });
    expect(version).toContain(packageJson.version);
  });

  it('refuses an unknown command with a non-zero exit and a hint', () => {
    const run = () => execFileSync(process.execPath, [BUILT_CLI, 'frobnicate'], { encoding: 'utf8', stdio: 'pipe' });
    expect(run).toThrow(/unknown command "frobnicate"/);
  });

  it('refuses a bad server flag before starting, naming the flag', () => {
    const run = () => execFileSync(process.execPath, [BUILT_CLI, 'server', '--storage', 'mongo'], { stdio: 'pipe' });
    expect(run).toThrow(/--storage/);
  });

  it('works as a global install from the packed tarball', () => {
    const packDir = makeTempDir('lockstep-pack-');
    const tarball = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', packDir], {
      cwd: projectDir,
      encoding: 'utf8',
    }).trim();
    const prefix = makeTempDir('lockstep-prefix-');
    // --ignore-scripts: the native SQLite build is not needed to prove the bin link, and --version
    // never opens the store.
    execFileSync('npm', ['install', '--global', '--prefix', prefix, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', join(packDir, tarball)], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    const installed = join(prefix, 'bin', 'lockstep-mcp');
    expect(execFileSync(installed, ['--version'], { encoding: 'utf8' })).toContain(packageJson.version);
  }, 120_000);
});
