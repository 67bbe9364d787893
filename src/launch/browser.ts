// Opens a URL in the human's browser where this machine has an opener and a display; otherwise says
// nothing and lets the caller print the address. Never waits for the browser and never throws.

import { spawn } from 'node:child_process';
import { findExecutable } from './agents.js';

/** The opener this machine offers, if any: `open` on macOS, `xdg-open` under a Linux desktop session. */
export function browserOpener(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string | undefined {
  if (platform === 'darwin') return findExecutable('open', env);
  if (platform === 'win32' || (!env.DISPLAY && !env.WAYLAND_DISPLAY)) return undefined;
  return findExecutable('xdg-open', env);
}

/** True when an opener was started (not that a window appeared: the opener reports nothing back). */
export function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const opener = browserOpener(env);
  if (!opener) return false;
  try {
    const child = spawn(opener, [url], { detached: true, stdio: 'ignore', env });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
