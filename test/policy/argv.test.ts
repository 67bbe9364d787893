import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/policy/argv.js';

describe('splitting a command into argv', () => {
  it('splits on whitespace and keeps quoted words whole', () => {
    expect(tokenize(`git commit -m "fix the bug"  --author='A B'`).argv).toEqual([
      'git',
      'commit',
      '-m',
      'fix the bug',
      '--author=A B',
    ]);
  });

  it('keeps empty quoted words as empty arguments', () => {
    expect(tokenize(`printf '' ""`).argv).toEqual(['printf', '', '']);
  });

  it('treats a backslash outside quotes as escaping the next character', () => {
    expect(tokenize('echo a\\ b \\"c\\"').argv).toEqual(['echo', 'a b', '"c"']);
  });

  it('honours only the shell escapes inside double quotes', () => {
    expect(tokenize('echo "a\\"b" "c\\d" "\\$HOME"').argv).toEqual(['echo', 'a"b', 'c\\d', '$HOME']);
  });

  it('never expands variables', () => {
    expect(tokenize('echo $HOME ${USER}').argv).toEqual(['echo', '$HOME', '${USER}']);
  });

  it('refuses an unterminated quote or a trailing backslash', () => {
    expect(() => tokenize(`echo 'open`)).toThrow(/never closed/);
    expect(() => tokenize('echo "open')).toThrow(/never closed/);
    expect(() => tokenize('echo \\')).toThrow(/lone backslash/);
  });
});

describe('finding shell syntax', () => {
  it.each([
    ['echo a && touch x', '&&'],
    ['echo a || touch x', '||'],
    ['echo a; touch x', ';'],
    ['echo a | tee x', '|'],
    ['sleep 1 &', '&'],
    ['echo a > x', '>'],
    ['echo a >> x', '>>'],
    ['ls 2> x', '2>'],
    ['cat < x', '<'],
    ['echo $(touch x)', '$('],
    ['echo `touch x`', '`'],
    ['echo "$(touch x)"', '$('],
    ['echo "`touch x`"', '`'],
    ['echo a\ntouch x', 'newline'],
  ])('reports %j as using %s', (command, operator) => {
    expect(tokenize(command).operators).toContain(operator);
  });

  it('reports nothing for operators inside quotes or escaped', () => {
    expect(tokenize(`echo 'a && b; $(c) \`d\`' "e | f > g" \\; \\&\\&`).operators).toEqual([]);
  });

  it('keeps operators as literal words so open mode passes them through unchanged', () => {
    expect(tokenize('echo a && touch x').argv).toEqual(['echo', 'a', '&&', 'touch', 'x']);
    expect(tokenize('echo a;b 2>err').argv).toEqual(['echo', 'a;b', '2>err']);
    expect(tokenize('echo $(touch y)').argv).toEqual(['echo', '$(touch', 'y)']);
  });
});
