// The macOS Terminal launcher: the AppleScript it generates, and the shell command inside it, never
// interpret a name or path, however hostile; osascript is a recording fake.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAKE_AGENTS_DIR, waitForAgentRecords } from '../../fixtures/fake-agents.js';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { refusal } from '../../fixtures/refusal.js';
import { openTerminalWindows, terminalAppleScript, terminalShellCommand } from '../../src/launch/macos.js';
import { appleScriptString, shellQuote } from '../../src/launch/quoting.js';

afterAll(removeTempDirs);

const HOSTILE = `it's "quoted" $(touch pwned) \`touch pwned\` \\ back\\slash $HOME; rm -rf x & | > <`;

function hostileDir(): string {
  const dir = join(makeTempDir('lockstep-mac-'), `repo ${HOSTILE.replaceAll('/', '')}`);
  mkdirSync(dir);
  return dir;
}

/** Reads back every AppleScript string literal, undoing its two escapes. */
function appleScriptStrings(script: string): string[] {
  return [...script.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1]!.replace(/\\(.)/g, '$1'));
}

describe('quoting for sh and AppleScript', () => {
  it('hands sh every hostile word back exactly', () => {
    const words = [HOSTILE, "'", "''", '', '\\', '"', '$(id)', '`id`', 'a\nb'];
    const out = execFileSync('sh', ['-c', `printf '%s\\0' ${words.map(shellQuote).join(' ')}`], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual(words);
  });

  it('escapes only backslash and double quote in AppleScript strings', () => {
    expect(appleScriptString('a"b\\c$(d)`e`')).toBe('"a\\"b\\\\c$(d)`e`"');
    expect(appleScriptStrings(appleScriptString(HOSTILE))).toEqual([HOSTILE]);
  });
});

describe('the Terminal AppleScript', () => {
  it('carries each window\'s shell command and title as exact AppleScript strings', () => {
    const program = { title: `planner ${HOSTILE}`, cwd: hostileDir(), argv: ['claude', HOSTILE] };
    const script = terminalAppleScript([program]);
    expect(script.startsWith('tell application "Terminal"')).toBe(true);
    expect(appleScriptStrings(script)).toEqual(['Terminal', terminalShellCommand(program), program.title]);
  });

  it('runs, through sh, the intended program in the intended directory with nothing interpreted', async () => {
    const records = makeTempDir('lockstep-records-');
    const program = { title: 'planner', cwd: hostileDir(), argv: [join(FAKE_AGENTS_DIR, 'claude'), HOSTILE, '$(touch pwned)'] };
    const [command] = appleScriptStrings(terminalAppleScript([program])).slice(1);
    execFileSync('sh', ['-c', command!], { env: { ...process.env, FAKE_AGENT_RECORDS: records, FAKE_AGENT_EXIT_AFTER: '0.05' } });
    const [record] = await waitForAgentRecords(records, 1);
    expect(record).toMatchObject({ program: 'claude', argv: [HOSTILE, '$(touch pwned)'], cwd: program.cwd });
    for (const dir of [program.cwd, process.cwd()]) expect(() => readFileSync(join(dir, 'pwned'))).toThrow();
  });

  it('gives osascript the script on stdin', async () => {
    const recordFile = join(makeTempDir('lockstep-osa-'), 'script.applescript');
    const programs = [{ title: 'implementer', cwd: hostileDir(), argv: ['codex', HOSTILE] }];
    await openTerminalWindows(programs, {
      osascript: join(FAKE_AGENTS_DIR, 'osascript'),
      platform: 'darwin',
      env: { ...process.env, FAKE_OSASCRIPT_RECORD: recordFile },
    });
    expect(readFileSync(recordFile, 'utf8')).toBe(terminalAppleScript(programs));
  });

  it('says it is macOS-only on other systems', async () => {
    const error = await refusal(openTerminalWindows([], { platform: 'linux' }));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('macOS-only') });
  });

  it('reports a missing osascript as PROGRAM_NOT_FOUND', async () => {
    const error = await refusal(openTerminalWindows([], { platform: 'darwin', env: { PATH: makeTempDir('lockstep-empty-') } }));
    expect(error).toMatchObject({ code: 'PROGRAM_NOT_FOUND', details: { program: 'osascript' } });
  });
});
