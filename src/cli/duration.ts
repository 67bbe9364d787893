// Durations typed at the command line ("90s", "30m", "12h", "30d") as milliseconds.

import * as z from 'zod';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export const duration = z
  .string()
  .regex(/^\d+[smhd]$/, 'a number and a unit: 90s, 30m, 12h or 30d')
  .transform((text) => Number(text.slice(0, -1)) * UNIT_MS[text.at(-1) as keyof typeof UNIT_MS]);
