// Which project a tool call acts on. A stdio session is on the server's own machine: a projectRoot is a
// directory there (confined in strict mode), as today. An HTTP session is not: it names a served
// project by id or shared-remote URL (`project` at coordination_init, or projectRoot), never by a path
// that would make the server open a directory of the caller's choosing; its token may limit which.

import { mainWorktreeRoot } from '../../git/project-root.js';
import type { Config } from '../config.js';
import { DomainError } from '../core/errors.js';
import type { Project } from '../domain/context.js';
import { ServedProjects } from '../domain/served-projects.js';
import { pathPolicyFor } from '../domain/worktree-settings.js';
import { resolvePath } from '../policy/paths.js';
import type { Session } from './define.js';

export interface SessionProjects {
  /** The project a call with these arguments acts on. */
  forCall(input: Record<string, unknown>, session: Session): Promise<Project>;
}

/** HTTP: only the served projects, named as strings; the token's limit holds on every call. */
export class RemoteProjects implements SessionProjects {
  constructor(private readonly served: ServedProjects) {}

  async forCall(input: Record<string, unknown>, session: Session): Promise<Project> {
    const name = text(input.project) ?? text(input.projectRoot);
    if (name !== undefined) return this.served.find(name, session.credential);
    return session.project ? this.served.find(session.project.id, session.credential) : this.served.defaultFor(session.credential);
  }
}

/** stdio: a projectRoot is a directory of this machine; `project` may name only the server's own project. */
export class LocalProjects implements SessionProjects {
  private readonly known = new Map<string, Promise<Project>>();
  private own?: Promise<ServedProjects>;

  constructor(private readonly config: Config) {}

  async forCall(input: Record<string, unknown>, session: Session): Promise<Project> {
    const name = text(input.project);
    if (name !== undefined) return (await (this.own ??= ServedProjects.load([this.config.cwd]))).find(name);
    const directory = text(input.projectRoot);
    if (directory === undefined && session.project) return session.project;
    return this.resolve(directory ?? this.config.cwd);
  }

  private resolve(directory: string): Promise<Project> {
    let project = this.known.get(directory);
    if (!project) {
      project = directory === this.config.cwd || this.config.mode !== 'strict' ? findProject(directory) : this.resolveConfined(directory);
      project.catch(() => this.known.delete(directory));
      this.known.set(directory, project);
    }
    return project;
  }

  /**
   * In strict mode a projectRoot may not lead out of the roots the server's own project allows, or
   * the file tools would confine to it instead; its main worktree is checked too, since a linked
   * worktree inside the roots can belong to a repository outside them.
   */
  private async resolveConfined(directory: string): Promise<Project> {
    const home = await this.resolve(this.config.cwd).catch(() => ({ id: this.config.cwd, root: this.config.cwd }));
    const policy = await pathPolicyFor(this.config, home);
    await resolvePath(directory, this.config.cwd, policy);
    const project = await findProject(directory);
    await resolvePath(project.root, this.config.cwd, policy);
    return project;
  }
}

async function findProject(directory: string): Promise<Project> {
  const root = await mainWorktreeRoot(directory).catch(() => {
    throw new DomainError('PATH_NOT_FOUND', `project directory ${directory} does not exist`, 'Pass an existing projectRoot, or omit it.');
  });
  return { id: root, root };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
