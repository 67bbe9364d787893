// Segment-aware glob matching for lock paths, without regular expressions: a lock glob is agent input
// matched inside the store's write transaction, and a backtracking regex turned `a*a*…a*c` into
// seconds of work (issue 7, item 8). The greedy two-pointer wildcard algorithm below visits each
// (pattern position, path position) pair at most once, so its work is bounded by their product.

/** Brace expansion multiplies patterns; a cap keeps one agent's pattern from costing seconds. */
const MAX_BRACE_EXPANSIONS = 256;
/** Longer globs are refused before they reach a transaction (matching cost grows with length). */
export const MAX_GLOB_LENGTH = 1_024;
export const MAX_GLOB_WILDCARDS = 64;
/** All brace alternatives together: what one match can cost is this times the path's length. */
const MAX_EXPANDED_LENGTH = 4 * MAX_GLOB_LENGTH;

type CharToken =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'char'; char: string }
  | { kind: 'class'; negated: boolean; ranges: readonly (readonly [string, string])[] };

/** A path segment pattern, or `**`: any number of whole segments. */
type SegmentPattern = { kind: 'globstar' } | { kind: 'segment'; tokens: readonly CharToken[] };

export interface GlobMatch {
  matched: boolean;
  /** Loop iterations spent; at most 2 × alternatives × (glob length + 1) × (path length + 1). */
  steps: number;
}

/** `*`, `?` and `[...]` stay inside one segment, `**` spans segments, `{a,b}` alternates. */
export function matchesGlob(glob: string, path: string): boolean {
  return matchGlob(glob, path).matched;
}

export function matchGlob(glob: string, path: string): GlobMatch {
  const meter = { steps: 0 };
  const segments = path.split('/');
  const matched = compileGlob(glob).some((pattern) => matchSequence(pattern, segments, meter, isGlobstar, matchSegment(meter)));
  return { matched, steps: meter.steps };
}

/** Throws an Error saying what is wrong when the glob is too long, too wild or malformed. */
export function checkGlob(glob: string): void {
  if (glob.length > MAX_GLOB_LENGTH) throw new Error(`longer than ${MAX_GLOB_LENGTH} characters`);
  const wildcards = glob.match(/[*?[]/g)?.length ?? 0;
  if (wildcards > MAX_GLOB_WILDCARDS) throw new Error(`more than ${MAX_GLOB_WILDCARDS} wildcards`);
  const expandedLength = expandBraces(glob).reduce((total, pattern) => total + pattern.length, 0);
  if (expandedLength > MAX_EXPANDED_LENGTH) throw new Error(`its alternatives add up to more than ${MAX_EXPANDED_LENGTH} characters`);
  compileGlob(glob);
}

function compileGlob(glob: string): SegmentPattern[][] {
  return expandBraces(glob).map((pattern) =>
    pattern
      .split('/')
      // Consecutive globstars mean the same as one.
      .filter((segment, index, all) => segment !== '**' || all[index - 1] !== '**')
      .map((segment): SegmentPattern => (segment === '**' ? { kind: 'globstar' } : { kind: 'segment', tokens: segmentTokens(segment) })),
  );
}

function segmentTokens(segment: string): CharToken[] {
  const tokens: CharToken[] = [];
  for (let index = 0; index < segment.length; index++) {
    const char = segment[index]!;
    const close = char === '[' ? segment.indexOf(']', index + 2) : -1;
    if (char === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (char === '?') {
      tokens.push({ kind: 'any' });
    } else if (close !== -1) {
      tokens.push(classToken(segment.slice(index + 1, close)));
      index = close;
    } else {
      tokens.push({ kind: 'char', char });
    }
  }
  return tokens;
}

/** `[abc]`, `[a-z]`, `[!ab]` / `[^ab]`; a `-` first or last is a literal member. */
function classToken(body: string): CharToken {
  const negated = body.startsWith('!') || body.startsWith('^');
  const members = negated ? body.slice(1) : body;
  const ranges: [string, string][] = [];
  for (let index = 0; index < members.length; index++) {
    const low = members[index]!;
    const high = members[index + 2];
    if (members[index + 1] === '-' && high !== undefined) {
      if (low > high) throw new Error(`the range ${low}-${high} is out of order`);
      ranges.push([low, high]);
      index += 2;
    } else {
      ranges.push([low, low]);
    }
  }
  return { kind: 'class', negated, ranges };
}

function isGlobstar(pattern: SegmentPattern): boolean {
  return pattern.kind === 'globstar';
}

function matchSegment(meter: { steps: number }) {
  return (pattern: SegmentPattern, segment: string) =>
    pattern.kind === 'segment' && matchSequence(pattern.tokens, [...segment], meter, (token) => token.kind === 'star', matchChar);
}

function matchChar(token: CharToken, char: string): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'char':
      return token.char === char;
    case 'class':
      return token.ranges.some(([low, high]) => low <= char && char <= high) !== token.negated;
    case 'star':
      return false;
  }
}

/**
 * Whether `items` matches `pattern`, where a star matches any run of items and every other element
 * exactly one. Greedy with one backtrack point (the last star): correct because a later star can
 * absorb anything an earlier one would have, and each (pattern, item) pair is compared at most once.
 */
function matchSequence<P, T>(pattern: readonly P[], items: readonly T[], meter: { steps: number }, isStar: (p: P) => boolean, matchOne: (p: P, item: T) => boolean): boolean {
  let p = 0;
  let i = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (i < items.length) {
    meter.steps++;
    const current = pattern[p];
    if (current !== undefined && isStar(current)) {
      starAt = p++;
      resumeAt = i;
    } else if (current !== undefined && matchOne(current, items[i]!)) {
      p++;
      i++;
    } else if (starAt !== -1) {
      p = starAt + 1;
      i = ++resumeAt;
    } else {
      return false;
    }
  }
  while (p < pattern.length && isStar(pattern[p]!)) p++;
  return p === pattern.length;
}

export function expandBraces(glob: string): string[] {
  const results: string[] = [];
  const pending = [glob];
  while (pending.length > 0) {
    const pattern = pending.pop()!;
    const group = firstBraceGroup(pattern);
    if (!group) {
      results.push(pattern);
    } else {
      for (const option of group.options) pending.push(pattern.slice(0, group.start) + option + pattern.slice(group.end + 1));
    }
    if (results.length + pending.length > MAX_BRACE_EXPANSIONS) throw new Error(`more than ${MAX_BRACE_EXPANSIONS} alternatives`);
  }
  return results;
}

/** The first `{...}` holding a top-level comma; braces without one are literal characters. */
function firstBraceGroup(pattern: string): { start: number; end: number; options: string[] } | undefined {
  for (let start = pattern.indexOf('{'); start !== -1; start = pattern.indexOf('{', start + 1)) {
    let depth = 0;
    const commas: number[] = [];
    for (let index = start; index < pattern.length; index++) {
      const char = pattern[index];
      if (char === '{') depth++;
      else if (char === ',' && depth === 1) commas.push(index);
      else if (char === '}' && --depth === 0) {
        if (commas.length === 0) break;
        const bounds = [start, ...commas, index];
        return { start, end: index, options: bounds.slice(1).map((bound, i) => pattern.slice(bounds[i]! + 1, bound)) };
      }
    }
  }
  return undefined;
}
