// The projects an HTTP server serves and how a remote agent names one: by the project id the server
// prints at start, or by the repository's shared-remote URL. Names are compared as strings and never
// resolved on this machine's disk: a remote agent must not make the server open directories of its choice.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normalRemoteUrl, remoteUrl } from '../../git/remote-url.js';
import { mainWorktreeRoot } from '../../git/project-root.js';
import { DomainError } from '../core/errors.js';
import type { Credential, Project } from './context.js';
import { PROJECT_CONFIG_FILE } from './project-config.js';

export interface ServedProject extends Project {
  /** The shared-remote URLs it answers to (normalised): `.lockstep/config.json` "remote" and git's origin. */
  remotes: string[];
}

/** The project of `directory` (this machine's own path: only the server and the CLI call this). */
export async function loadServedProject(directory: string): Promise<ServedProject> {
  const root = await mainWorktreeRoot(directory).catch(() => {
    throw new DomainError('PATH_NOT_FOUND', `project directory ${directory} does not exist`, 'Start the server in a repository, or name an existing one.');
  });
  const urls = await Promise.all([configuredRemote(root), remoteUrl(root)]);
  const remotes = [...new Set(urls.filter((url): url is string => url !== null).map(normalRemoteUrl))];
  return { id: root, root, remotes };
}

/**
 * The shared remote `.lockstep/config.json` names, read on its own and tolerantly: the key may hold a
 * URL or a git remote's name, and a file this version cannot fully parse still yields it.
 */
async function configuredRemote(root: string): Promise<string | null> {
  let remote: unknown;
  try {
    remote = (JSON.parse(await readFile(join(root, PROJECT_CONFIG_FILE), 'utf8')) as { remote?: unknown } | null)?.remote;
  } catch {
    return null; // absent or unreadable: the project config's own reader reports that where it matters
  }
  if (typeof remote !== 'string' || remote.trim() === '') return null;
  return /^[\w.-]+$/.test(remote) ? remoteUrl(root, remote) : remote;
}

/** Whether `name` (a project id or a shared-remote URL) names `project`. */
export function names(project: ServedProject, name: string): boolean {
  return name === project.id || project.remotes.includes(normalRemoteUrl(name));
}

export class ServedProjects {
  /** @param all the first is the default for a session that names none */
  constructor(readonly all: readonly ServedProject[]) {}

  static async load(directories: readonly string[]): Promise<ServedProjects> {
    const loaded = await Promise.all(directories.map(loadServedProject));
    return new ServedProjects([...new Map(loaded.map((project) => [project.id, project])).values()]);
  }

  /** The served project `name` names, among those the token may use. */
  find(name: string, credential?: Credential): ServedProject {
    const project = this.all.find((candidate) => names(candidate, name));
    if (!project) {
      const choices = this.all.filter((candidate) => mayUse(credential, candidate)).map(describe);
      throw new DomainError(
        'PROJECT_UNKNOWN',
        `this server serves no project named ${JSON.stringify(name)}; it takes a project id or shared-remote URL, never a path of your machine`,
        choices.length > 0 ? `Pass project (or omit it) as one of: ${choices.join('; ')}.` : 'Ask the human which server serves your project.',
      );
    }
    assertMayUse(credential, project);
    return project;
  }

  /** The project of a session that named none: the first one its token may use. */
  defaultFor(credential?: Credential): ServedProject {
    const project = this.all.find((candidate) => mayUse(credential, candidate));
    assertMayUse(credential, project ?? this.all[0]!);
    return project!;
  }

  /** Whether a token may open a session here at all. */
  admits(credential?: Credential): boolean {
    return this.all.some((project) => mayUse(credential, project));
  }
}

/** A token limited to projects (token create --project) may use only those; an unlimited one any. */
export function mayUse(credential: Credential | undefined, project: ServedProject): boolean {
  const limits = credential?.projects ?? [];
  return limits.length === 0 || limits.some((limit) => names(project, limit));
}

export function assertMayUse(credential: Credential | undefined, project: ServedProject): void {
  if (mayUse(credential, project)) return;
  throw new DomainError(
    'PROJECT_FORBIDDEN',
    `your access token "${credential!.name}" is limited to ${credential!.projects!.join(', ')}, not ${project.id}`,
    'Name one of your projects at coordination_init (project), or ask the human for a token for this one.',
    { projects: credential!.projects },
  );
}

function describe(project: ServedProject): string {
  return [project.id, ...project.remotes].join(' or ');
}
