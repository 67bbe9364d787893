// Splits a command line into argv the way a POSIX shell would split words, without ever running a
// shell: quotes and backslashes are honoured, and every operator a shell would act on is reported.

import { DomainError } from '../core/errors.js';

export interface ParsedCommand {
  argv: string[];
  /**
   * Shell operators and substitutions found where a shell would act on them, in order of appearance
   * (each once). We never interpret them; callers decide whether to refuse the command.
   */
  operators: string[];
}

/** Characters that end a word and mean something to a shell when unquoted. */
const CONTROL = new Set([';', '&', '|', '<', '>', '\n']);

export function tokenize(command: string): ParsedCommand {
  const argv: string[] = [];
  const operators = new Set<string>();
  let word = '';
  let inWord = false; // distinguishes an empty quoted word ('') from no word at all
  const endWord = () => {
    if (inWord) argv.push(word);
    word = '';
    inWord = false;
  };

  for (let i = 0; i < command.length; i++) {
    const char = command[i]!;
    if (char === ' ' || char === '\t' || char === '\r') {
      endWord();
    } else if (char === "'") {
      const end = closingQuote(command, i, "'");
      word += command.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (char === '"') {
      const quoted = readDoubleQuoted(command, i, operators);
      word += quoted.text;
      inWord = true;
      i = quoted.end;
    } else if (char === '\\') {
      if (i + 1 >= command.length) throw badCommand('it ends with a lone backslash');
      word += command[++i];
      inWord = true;
    } else if (CONTROL.has(char)) {
      const operator = readOperator(command, i, word, inWord);
      operators.add(operator.name);
      // Kept as literal text so open mode passes it through unchanged (a newline just separates words).
      if (char === '\n') endWord();
      else {
        word += command.slice(i, operator.end + 1);
        inWord = true;
      }
      i = operator.end;
    } else {
      if (char === '`' || (char === '$' && command[i + 1] === '(')) operators.add(char === '`' ? '`' : '$(');
      word += char;
      inWord = true;
    }
  }
  endWord();
  return { argv, operators: [...operators] };
}

function closingQuote(command: string, start: number, quote: string): number {
  const end = command.indexOf(quote, start + 1);
  if (end === -1) throw badCommand(`the ${quote === "'" ? 'single' : 'double'} quote at position ${start} is never closed`);
  return end;
}

/** Inside double quotes a shell still substitutes $( ) and backticks, and backslash escapes only $ ` " \. */
function readDoubleQuoted(command: string, start: number, operators: Set<string>): { text: string; end: number } {
  let text = '';
  for (let i = start + 1; i < command.length; i++) {
    const char = command[i]!;
    if (char === '"') return { text, end: i };
    if (char === '\\' && i + 1 < command.length && '$`"\\'.includes(command[i + 1]!)) {
      text += command[++i];
      continue;
    }
    if (char === '`') operators.add('`');
    if (char === '$' && command[i + 1] === '(') operators.add('$(');
    text += char;
  }
  throw badCommand(`the double quote at position ${start} is never closed`);
}

/** Names the operator starting at `start` (`&&`, `||`, `>>`, `2>`, ...) and where it ends. */
function readOperator(command: string, start: number, word: string, inWord: boolean): { name: string; end: number } {
  const char = command[start]!;
  if (char === '\n') return { name: 'newline', end: start };
  const doubled = command[start + 1] === char && char !== ';' ? char + char : char;
  const end = start + doubled.length - 1;
  // "2>" / "2>>": a file-descriptor redirection; the digits are already in the current word.
  const fd = char === '>' && inWord && /^\d+$/.test(word) ? word : '';
  return { name: fd + doubled, end };
}

function badCommand(reason: string): DomainError {
  return new DomainError(
    'INVALID_INPUT',
    `the command cannot be split into arguments: ${reason}`,
    'Fix the quoting: wrap arguments with spaces in single or double quotes and close every quote.',
  );
}
