// The URL a repository's remote points at (`git remote get-url`), for recognising a repository by its
// shared remote rather than by a path that differs on every machine.

import { GitCommandError, openGit } from './exec.js';

/** The remote's URL, or null when the repository has no such remote (or the directory is no repository). */
export async function remoteUrl(directory: string, remote = 'origin'): Promise<string | null> {
  if (remote.startsWith('-')) return null;
  try {
    const result = await openGit(directory).run(['remote', 'get-url', remote], { readOnly: true, trim: true });
    return result.stdout || null;
  } catch (error) {
    if (error instanceof GitCommandError) return null;
    throw error;
  }
}

/**
 * One spelling per remote, so a URL matches with or without a trailing ".git" or slash and with the host
 * in any case ("https://Git.example.com/team/app.git/" = "https://git.example.com/team/app").
 */
export function normalRemoteUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '').replace(/\.git$/, '');
  const withScheme = /^([a-z][a-z0-9+.-]*:\/\/)([^/]*)(.*)$/i.exec(trimmed);
  if (withScheme) return `${withScheme[1]!.toLowerCase()}${withScheme[2]!.toLowerCase()}${withScheme[3]}`;
  const scp = /^([^@/:]+@)?([^/:]+):(.*)$/.exec(trimmed); // git@host:team/app
  return scp ? `${scp[1] ?? ''}${scp[2]!.toLowerCase()}:${scp[3]}` : trimmed;
}
