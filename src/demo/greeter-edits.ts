// What each scripted implementer writes in its worktree. Ada and Bob both change the one line of
// src/settings.ts, so their branches collide there: the conflict the demo forecasts, lands into and fixes.

export const ADA_FRENCH = {
  'src/settings.ts': "export const settings = { language: 'fr', punctuation: '.' };\n",
  'src/salutations.ts': [
    "const SALUTATIONS: Record<string, string> = { en: 'Hello', fr: 'Bonjour' };",
    '',
    'export function salutation(language: string): string {',
    '  return SALUTATIONS[language];',
    '}',
    '',
  ].join('\n'),
  'src/greet.ts': [
    "import { salutation } from './salutations.js';",
    "import { settings } from './settings.js';",
    '',
    'export function greet(name: string): string {',
    '  return `${salutation(settings.language)}, ${name}${settings.punctuation}`;',
    '}',
    '',
  ].join('\n'),
};

/** The line of src/salutations.ts the planner comments on, and Ada's answer to it. */
export const ADA_COMMENTED_LINE = 4;
export const ADA_FALLBACK = {
  'src/salutations.ts': ADA_FRENCH['src/salutations.ts'].replace('SALUTATIONS[language];', 'SALUTATIONS[language] ?? SALUTATIONS.en;'),
};

export const BOB_LOUD = {
  'src/settings.ts': "export const settings = { language: 'en', punctuation: '!' };\n",
  'src/shout.ts': [
    "import { greet } from './greet.js';",
    '',
    'export function shout(name: string): string {',
    '  return greet(name).toUpperCase();',
    '}',
    '',
  ].join('\n'),
};

/** Bob's resolution after Ada landed: her language and his punctuation. */
export const BOB_RESOLVED = {
  'src/settings.ts': "export const settings = { language: 'fr', punctuation: '!' };\n",
};

export const CY_FAREWELL = {
  'src/farewell.ts': [
    "import { settings } from './settings.js';",
    '',
    'export function farewell(name: string): string {',
    "  const word = settings.language === 'fr' ? 'Au revoir' : 'Goodbye';",
    '  return `${word}, ${name}${settings.punctuation}`;',
    '}',
    '',
  ].join('\n'),
};
