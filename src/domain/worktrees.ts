// Implementers' worktrees as the domain sees them: the git manager (git/) does the git work, this
// service adds the project's settings, the store's view of agents and tasks, and DomainError codes.

import { listArchives, recoverArchive } from '../../git/archive.js';
import { cleanupWorktrees, type CleanupReport } from '../../git/cleanup.js';
import { branchDiff, type BranchDiff } from '../../git/diff.js';
import { openGit, type Git } from '../../git/exec.js';
import { forecastAgainstBranches, forecastMerge } from '../../git/forecast.js';
import { withRepositoryMutex } from '../../git/mutex.js';
import { implementerBranch } from '../../git/refs.js';
import { uncommittedPaths, worktreeStatus, type DiffStat } from '../../git/status.js';
import { requireBranchHead } from '../../git/target.js';
import { ensureWorktree, lockstepWorktrees, type ImplementerWorktree } from '../../git/worktrees.js';
import type { Config } from '../config.js';
import type { TaskStatus } from '../core/vocabulary.js';
import { requirePlanner, type Caller, type DomainContext } from './context.js';
import { DomainError } from '../core/errors.js';
import { projectConfigCallout, projectConfigCalloutBetween, type ProjectConfigCallout } from './config-callout.js';
import { assertImplementerName, translatingGitErrors } from './git-errors.js';
import { goneAmong, goneJudge } from './implementer-liveness.js';
import { landOnTarget, type LandOutcome, type LandRequest } from './worktree-landing.js';
import { readWorktreeSettings, type WorktreeSettings } from './worktree-settings.js';

export type { LandOutcome, LandRequest } from './worktree-landing.js';
export type { WorktreeSettings } from './worktree-settings.js';

export interface LocatedWorktree {
  path: string;
  /** Short branch name: `lockstep/<name>`. */
  branch: string;
  head: string;
}

export interface EnsuredImplementerWorktree extends LocatedWorktree {
  created: boolean;
  resumed: boolean;
}

export interface WorktreeStatusView extends LocatedWorktree, ProjectConfigCallout {
  implementer: string;
  target: string;
  ahead: number;
  behind: number;
  uncommitted: string[];
  untracked: string[];
  diffStat: DiffStat;
  /** Merging the branch into the target now: clean, or the files that would conflict. */
  mergeable: { clean: boolean; conflicts?: string[] };
  /** Other implementers' active branches this one would conflict with. */
  conflictsWith?: { implementer: string; files: string[] }[];
}

export interface DiffRequest {
  name: string;
  path?: string;
  includeUncommitted?: boolean;
  offset?: number;
  maxBytes?: number;
}

export interface WorktreeListItem extends LocatedWorktree {
  implementer: string;
  /** The implementer's task in progress, in review or with changes requested. */
  task?: number;
  agentAlive: boolean;
  /** Its directory was deleted by hand: worktree_cleanup or worktree_create tidies it up. */
  missing?: true;
}

export type RecoverOutcome =
  | { status: 'listed'; archives: { archive: string; commit: string }[] }
  | { status: 'recovered'; path: string; branch: string; head: string; restoredUncommitted: boolean };

/** Statuses in which a task's owner is still working on it (its worktree holds that work). */
const WORKING_STATUSES: TaskStatus[] = ['in_progress', 'review', 'changes_requested'];
const PER_FILE_SHOWN = 50;

export class WorktreeService {
  constructor(
    private readonly context: DomainContext,
    private readonly config: Config,
  ) {}

  settings(caller: Caller): Promise<WorktreeSettings> {
    return translatingGitErrors(() => readWorktreeSettings(this.git(caller), this.config, caller.project));
  }

  /** Creates `lockstep/<name>` and its worktree, or resumes the existing ones with all their work. */
  ensure(caller: Caller, name: string, base?: string): Promise<EnsuredImplementerWorktree> {
    return translatingGitErrors(async () => {
      assertImplementerName(name);
      const git = this.git(caller);
      const { worktreeRoot } = await this.settings(caller);
      const ensured = await withRepositoryMutex(git, () => ensureWorktree(git, { name, worktreeRoot, base }));
      return { path: ensured.path, branch: ensured.branch, head: ensured.head, created: ensured.created, resumed: ensured.resumed };
    });
  }

  /** The implementer's worktree if it exists on disk. */
  locate(caller: Caller, name: string): Promise<LocatedWorktree | undefined> {
    return translatingGitErrors(async () => {
      assertImplementerName(name);
      return located(await lockstepWorktrees(this.git(caller)), name);
    });
  }

  /** Uncommitted and untracked paths in a worktree the caller has located; [] when clean. */
  isDirty(caller: Caller, worktree: Pick<LocatedWorktree, 'path'>): Promise<string[]> {
    return translatingGitErrors(() => uncommittedPaths(this.git(caller).at(worktree.path)));
  }

  status(caller: Caller, name: string): Promise<WorktreeStatusView> {
    return translatingGitErrors(async () => {
      assertImplementerName(name);
      const git = this.git(caller);
      // One listing serves both this worktree and the other implementers' branches to forecast against.
      const all = (await lockstepWorktrees(git)).filter((w) => !w.prunable);
      const worktree = located(all, name) ?? throwNoWorktree(name);
      const { target } = await this.settings(caller);
      const status = await worktreeStatus(git, { name, target, worktreePath: worktree.path });
      const others = all.filter((w) => w.implementer !== name);
      const [forecast, conflicts] = await Promise.all([
        forecastMerge(git, { ours: `refs/heads/${target}`, theirs: status.head }),
        forecastAgainstBranches(git, worktree.branch, others.map((w) => w.branch)),
      ]);
      const byBranch = new Map(others.map((w) => [w.branch, w.implementer]));
      return {
        implementer: name,
        path: worktree.path,
        branch: worktree.branch,
        head: status.head,
        target,
        ahead: status.ahead,
        behind: status.behind,
        uncommitted: status.uncommitted,
        untracked: status.untracked,
        diffStat: { ...status.diffStat, perFile: status.diffStat.perFile?.slice(0, PER_FILE_SHOWN) },
        mergeable: forecast.clean ? { clean: true } : { clean: false, conflicts: forecast.conflicts },
        ...projectConfigCallout(status.diffStat.perFile?.map((file) => file.path) ?? []),
        ...(conflicts.length > 0 && {
          conflictsWith: conflicts.map((c) => ({ implementer: byBranch.get(c.branch) ?? c.branch, files: c.conflicts })),
        }),
      };
    });
  }

  /** The branch's diff against its merge base with the target (plus uncommitted changes on request), paged. */
  diff(caller: Caller, request: DiffRequest): Promise<BranchDiff & { target: string } & ProjectConfigCallout> {
    return translatingGitErrors(async () => {
      assertImplementerName(request.name);
      if (request.path?.includes('\0')) throw new DomainError('INVALID_INPUT', 'path contains a NUL byte', 'Pass a plain repository-relative path.');
      const worktree = request.includeUncommitted ? await this.locate(caller, request.name) : undefined;
      const { target } = await this.settings(caller);
      const diff = await branchDiff(this.git(caller), {
        branch: implementerBranch(request.name),
        target,
        worktreePath: worktree?.path,
        path: request.path,
        includeUncommitted: request.includeUncommitted,
        offset: request.offset,
        maxBytes: request.maxBytes,
      });
      return { target, ...diff, ...(await projectConfigCalloutBetween(this.git(caller), diff.base, diff.head)) };
    });
  }

  /** Every implementer worktree with its task and whether its agent is still alive. */
  list(caller: Caller): Promise<WorktreeListItem[]> {
    return translatingGitErrors(async () => {
      const worktrees = await lockstepWorktrees(this.git(caller));
      if (worktrees.length === 0) return [];
      const names = worktrees.map((w) => w.implementer);
      const { gone, tasks } = await this.context.store.read(caller.project.id, (tx) => ({
        gone: goneAmong(tx, this.context, names),
        tasks: tx.find('tasks', { where: { owner: { in: names }, status: { in: WORKING_STATUSES } }, orderBy: 'id' }),
      }));
      return worktrees.map((w) => {
        const task = tasks.find((t) => t.owner === w.implementer)?.id;
        return {
          implementer: w.implementer,
          path: w.path,
          branch: w.branch.slice('refs/heads/'.length),
          head: w.head ?? '',
          ...(task !== undefined && { task }),
          agentAlive: !gone.has(w.implementer),
          ...(w.prunable && { missing: true as const }),
        };
      });
    });
  }

  /** Removes merged worktrees, and gone implementers' ones after archiving their work. */
  cleanup(caller: Caller): Promise<CleanupReport> {
    return translatingGitErrors(async () => {
      const git = this.git(caller);
      const { target, worktreeRoot } = await this.settings(caller);
      // cleanupWorktrees lists the worktrees itself, so every agent is judged here rather than listing them twice.
      const { isGone, working } = await this.context.store.read(caller.project.id, (tx) => ({
        isGone: goneJudge(tx, this.context),
        working: new Set(tx.find('tasks', { where: { status: { in: WORKING_STATUSES } } }).map((task) => task.owner)),
      }));
      return cleanupWorktrees(git, { target, worktreeRoot, isGone, isInUse: (name) => !isGone(name) && working.has(name) });
    });
  }

  /** Without `archive`: lists the implementer's archives. With it: restores that archive into a fresh worktree. */
  recover(caller: Caller, request: { name: string; archive?: string }): Promise<RecoverOutcome> {
    return translatingGitErrors(async () => {
      assertImplementerName(request.name);
      const git = this.git(caller);
      const archives = await listArchives(git, request.name);
      if (request.archive === undefined) {
        return { status: 'listed', archives: archives.map(({ archive, commit }) => ({ archive, commit })) };
      }
      const wanted = request.archive;
      if (!archives.some((entry) => entry.archive === wanted || entry.ref === wanted)) {
        throw new DomainError('NOT_FOUND', `${request.name} has no archive "${wanted}"`, 'Call worktree_recover without archive to list the archives.', {
          archives: archives.map((entry) => entry.archive),
        });
      }
      const { worktreeRoot } = await this.settings(caller);
      const result = await recoverArchive(git, { name: request.name, archive: wanted, worktreeRoot });
      if (result.status === 'refused') {
        throw new DomainError('WORKTREE_BLOCKED', result.reason, 'Land or clean up the current worktree first (worktree_status, worktree_cleanup); nothing was changed.');
      }
      return result;
    });
  }

  /** Lands `source` on the target (or `request.target`); expected outcomes are return values. */
  land(caller: Caller, request: LandRequest): Promise<LandOutcome> {
    return translatingGitErrors(async () => {
      assertImplementerName(request.name);
      const settings = await this.settings(caller);
      return landOnTarget({ context: this.context, config: this.config, caller, git: this.git(caller), settings }, request);
    });
  }

  /** worktree_merge: a planner lands an implementer's branch head outside the review flow. */
  async merge(caller: Caller, request: { name: string; targetBranch?: string }): Promise<LandOutcome> {
    const planner = requirePlanner(caller, 'merge an implementer branch outside review (worktree_merge)');
    return translatingGitErrors(async () => {
      assertImplementerName(request.name);
      const branch = implementerBranch(request.name);
      const head = await requireBranchHead(this.git(caller), branch);
      const message = `lockstep: merge ${branch} (worktree_merge by ${planner})`;
      return this.land(caller, { name: request.name, source: head, message, target: request.targetBranch });
    });
  }

  private git(caller: Caller): Git {
    return openGit(caller.project.root);
  }
}

/** `name`'s worktree among those already listed, if its directory exists. */
function located(worktrees: readonly ImplementerWorktree[], name: string): LocatedWorktree | undefined {
  const found = worktrees.find((w) => w.implementer === name && !w.prunable);
  return found && { path: found.path, branch: found.branch.slice('refs/heads/'.length), head: found.head ?? '' };
}

function throwNoWorktree(name: string): never {
  throw new DomainError('NOT_FOUND', `implementer ${name} has no worktree`, `Call worktree_create with implementerId "${name}" (it resumes an existing branch), or worktree_list.`, {
    implementer: name,
  });
}
