// Implementers' worktrees as the domain sees them: the git manager (git/) does the git work, this
// service adds the project's settings, the store's view of agents and tasks, and DomainError codes.

import type { ReadTx } from '../store/store.js';
import { listArchives, recoverArchive } from '../../git/archive.js';
import { implementerBranchSummaries, type BranchSummary } from '../../git/branch-summary.js';
import { cleanupWorktrees, type CleanupReport } from '../../git/cleanup.js';
import { branchDiff, type BranchDiff } from '../../git/diff.js';
import { openGit, type Git } from '../../git/exec.js';
import { forecastAgainstBranches, forecastMerge } from '../../git/forecast.js';
import { withRepositoryMutex } from '../../git/mutex.js';
import { implementerBranch } from '../../git/refs.js';
import type { Repository } from '../../git/repository.js';
import { uncommittedPaths, worktreeStatus, type DiffStat } from '../../git/status.js';
import { localBranchHead, requireBranchHead } from '../../git/target.js';
import { withOwnedTemporaryCheckout } from '../../git/temporary-checkout.js';
import { fetchedImplementerRef, fetchedImplementers } from '../../git/remote.js';
import { listWorktrees } from '../../git/worktree-list.js';
import { ensureWorktree, lockstepWorktrees } from '../../git/worktrees.js';
import type { Config } from '../config.js';
import type { TaskStatus } from '../core/vocabulary.js';
import { requirePlanner, type Caller, type DomainContext, type Project } from './context.js';
import { DomainError } from '../core/errors.js';
import { projectConfigCallout, projectConfigCalloutBetween, type ProjectConfigCallout } from './config-callout.js';
import { recordEvent, type NewEvent } from './events.js';
import { assertImplementerName, translatingGitErrors } from './git-errors.js';
import { goneAmong, goneJudge } from './implementer-liveness.js';
import { otherBranches, pushedHeadOf } from './remote-branches.js';
import { landOnTarget, locatedIn, type LandOutcome, type LandRequest } from './landing.js';
import { readWorktreeSettings, type WorktreeSettings } from './worktree-settings.js';

export type { BranchSummary };

export type { LandOutcome, LandRequest } from './landing.js';
export type { WorktreeSettings } from './worktree-settings.js';

/**
 * Everything one tool call knows about its repository, read once and passed down as a value: the
 * project, its settings (target resolved) and git's worktree listing. A call that changes worktrees
 * reads it while holding the repository mutex.
 */
export interface RepositoryCall {
  project: Project;
  settings: WorktreeSettings;
  repo: Repository;
}

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

export interface WorktreeStatusView extends Omit<LocatedWorktree, 'path'>, ProjectConfigCallout {
  implementer: string;
  /** Absent for an implementer working elsewhere, whose status is read from its pushed branch. */
  path?: string;
  /** Read from what was pushed to the shared remote, fetched now: uncommitted work there is not known here. */
  pushed?: true;
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

export interface WorktreeListItem extends Omit<LocatedWorktree, 'path'> {
  implementer: string;
  /** Absent for an implementer working elsewhere (`pushed`). */
  path?: string;
  /** Works elsewhere: its branch as last fetched from the shared remote. */
  pushed?: true;
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

  async settings(caller: Caller): Promise<WorktreeSettings> {
    return (await translatingGitErrors(() => this.open(caller))).settings;
  }

  /** Every implementer branch's last commit and position against the target (the dashboard's list). */
  branches(caller: Caller): Promise<Map<string, BranchSummary>> {
    return translatingGitErrors(async () => {
      const call = await this.open(caller);
      return implementerBranchSummaries(call.repo.git, call.settings.target);
    });
  }

  /** Creates `lockstep/<name>` and its worktree (from the target unless `base`), or resumes the existing ones. */
  ensure(caller: Caller, name: string, base?: string): Promise<EnsuredImplementerWorktree> {
    return translatingGitErrors(async () => {
      assertImplementerName(name);
      const ensured = await withRepositoryMutex(this.git(caller), async () => {
        const { repo, settings } = await this.open(caller);
        return ensureWorktree(repo, { name, worktreeRoot: settings.worktreeRoot, base });
      });
      return { path: ensured.path, branch: ensured.branch, head: ensured.head, created: ensured.created, resumed: ensured.resumed };
    });
  }

  /** The implementer's worktree if it exists on disk. */
  locate(caller: Caller, name: string): Promise<LocatedWorktree | undefined> {
    return translatingGitErrors(async () => {
      assertImplementerName(name);
      return locatedIn(await listWorktrees(this.git(caller)), name);
    });
  }

  /** Runs `work` in a throwaway checkout of `commit` on this host: a remote implementer's pushed head. */
  inCheckoutOf<T>(caller: Caller, commit: string, work: (dir: string) => Promise<T>): Promise<T> {
    return translatingGitErrors(() => withOwnedTemporaryCheckout(this.git(caller), commit, 'lockstep-verify-', work));
  }

  /** Uncommitted and untracked paths in a worktree the caller has located; [] when clean. */
  isDirty(caller: Caller, worktree: Pick<LocatedWorktree, 'path'>): Promise<string[]> {
    return translatingGitErrors(() => uncommittedPaths(this.git(caller).at(worktree.path)));
  }

  /** Where a branch stands; for an implementer working elsewhere (no worktree here, a remote set), its pushed branch fetched now. */
  status(caller: Caller, name: string): Promise<WorktreeStatusView> {
    return translatingGitErrors(async () => {
      assertImplementerName(name);
      const call = await this.open(caller);
      const { git } = call.repo;
      const { target } = call.settings;
      const worktree = locatedIn(call.repo.worktrees, name);
      const pushed = worktree === undefined ? await pushedHeadOf(call, name) : undefined;
      if (worktree === undefined && pushed === undefined) throwNoWorktree(name);
      const status = await worktreeStatus(git, { name, target, worktreePath: worktree?.path, head: pushed });
      const others = await otherBranches(call, name);
      const [forecast, conflicts] = await Promise.all([
        forecastMerge(git, { ours: `refs/heads/${target}`, theirs: status.head }),
        forecastAgainstBranches(git, worktree?.branch ?? fetchedImplementerRef(name), [...others.keys()]),
      ]);
      return {
        implementer: name,
        ...(worktree && { path: worktree.path }),
        ...(pushed !== undefined && { pushed: true as const }),
        branch: implementerBranch(name),
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
          conflictsWith: conflicts.map((c) => ({ implementer: others.get(c.branch) ?? c.branch, files: c.conflicts })),
        }),
      };
    });
  }

  /** The branch's diff against its merge base with the target (plus uncommitted changes on request), paged. */
  diff(caller: Caller, request: DiffRequest): Promise<BranchDiff & { target: string } & ProjectConfigCallout> {
    return translatingGitErrors(async () => {
      assertImplementerName(request.name);
      if (request.path?.includes('\0')) throw new DomainError('INVALID_INPUT', 'path contains a NUL byte', 'Pass a plain repository-relative path.');
      const call = await this.open(caller);
      const located = locatedIn(call.repo.worktrees, request.name);
      const worktree = request.includeUncommitted ? located : undefined;
      const pushed = located === undefined ? await pushedHeadOf(call, request.name) : undefined;
      const { target } = call.settings;
      const diff = await branchDiff(call.repo.git, {
        branch: implementerBranch(request.name),
        head: pushed,
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
      const git = this.git(caller);
      const [worktrees, fetched] = await Promise.all([lockstepWorktrees(git), fetchedImplementers(git)]);
      // Implementers working elsewhere, as their branch was last fetched (empty in local mode).
      const elsewhere = fetched.filter((f) => !worktrees.some((w) => w.implementer === f.name));
      const names = [...worktrees.map((w) => w.implementer), ...elsewhere.map((f) => f.name)];
      if (names.length === 0) return [];
      const { gone, tasks } = await this.context.store.read(caller.project.id, function* (this: WorktreeService, tx: ReadTx) {
        return ({
        gone: (yield* goneAmong(tx, this.context, names)),
        tasks: (yield* tx.find('tasks', { where: { owner: { in: names }, status: { in: WORKING_STATUSES } }, orderBy: 'id' })),
      });
      }.bind(this));
      const about = (name: string) => {
        const task = tasks.find((t) => t.owner === name)?.id;
        return { implementer: name, ...(task !== undefined && { task }), agentAlive: !gone.has(name) };
      };
      return [
        ...worktrees.map((w) => ({
          ...about(w.implementer),
          path: w.path,
          branch: w.branch.slice('refs/heads/'.length),
          head: w.head ?? '',
          ...(w.prunable && { missing: true as const }),
        })),
        ...elsewhere.map((f) => ({ ...about(f.name), branch: implementerBranch(f.name), head: f.head, pushed: true as const })),
      ];
    });
  }

  /** Removes merged worktrees, and gone implementers' ones after archiving their work. */
  cleanup(caller: Caller): Promise<CleanupReport> {
    return translatingGitErrors(async () => {
      const git = this.git(caller);
      const { target, worktreeRoot } = await this.settings(caller);
      // cleanupWorktrees lists the worktrees itself, so every agent is judged here rather than listing them twice.
      const { isGone, working } = await this.context.store.read(caller.project.id, function* (this: WorktreeService, tx: ReadTx) {
        return ({
        isGone: (yield* goneJudge(tx, this.context)),
        working: new Set((yield* tx.find('tasks', { where: { status: { in: WORKING_STATUSES } } })).map((task) => task.owner)),
      });
      }.bind(this));
      const report = await cleanupWorktrees(git, { target, worktreeRoot, isGone, isInUse: (name) => !isGone(name) && working.has(name) });
      if (report.removed.length > 0) {
        await this.announce(caller, { kind: 'worktree_cleaned', data: { removed: report.removed.map((w) => w.name) } });
      }
      return report;
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
      const result = await withRepositoryMutex(git, async () => {
        const { repo, settings } = await this.open(caller);
        return recoverArchive(repo, { name: request.name, archive: wanted, worktreeRoot: settings.worktreeRoot });
      });
      if (result.status === 'refused') {
        throw new DomainError('WORKTREE_BLOCKED', result.reason, 'Land or clean up the current worktree first (worktree_status, worktree_cleanup); nothing was changed.');
      }
      await this.announce(caller, { kind: 'worktree_recovered', target: request.name, data: { archive: wanted } });
      return result;
    });
  }

  /** Lands `source` on the target (or `request.target`); expected outcomes are return values. */
  land(caller: Caller, request: LandRequest): Promise<LandOutcome> {
    return translatingGitErrors(async () => {
      assertImplementerName(request.name);
      const call = await this.open(caller);
      return landOnTarget({ context: this.context, config: this.config, caller, call }, request);
    });
  }

  /** worktree_merge: a planner lands an implementer's branch head (or pushed branch) outside the review flow. */
  async merge(caller: Caller, request: { name: string; targetBranch?: string }): Promise<LandOutcome> {
    const planner = requirePlanner(caller, 'merge an implementer branch outside review (worktree_merge)');
    return translatingGitErrors(async () => {
      assertImplementerName(request.name);
      const branch = implementerBranch(request.name);
      // An implementer working elsewhere has no branch here: its pushed one, fetched now, is merged.
      const local = await localBranchHead(this.git(caller), branch);
      const head = local ?? (await pushedHeadOf(await this.open(caller), request.name)) ?? (await requireBranchHead(this.git(caller), branch));
      const message = `lockstep: merge ${branch} (worktree_merge by ${planner})`;
      return this.land(caller, { name: request.name, source: head, message, target: request.targetBranch });
    });
  }

  /** Worktree changes go into the event log too: the dashboard and the implementer concerned see them. */
  private async announce(caller: Caller, event: Omit<NewEvent, 'actor'>): Promise<void> {
    await this.context.store.write(caller.project.id, (tx) => recordEvent(tx, this.context.clock.now(), { ...event, actor: caller.agent?.name ?? null }));
  }

  private git(caller: Caller): Git {
    return openGit(caller.project.root);
  }

  /** Builds the call's RepositoryCall: one `git worktree list`, the settings read once, the target resolved from both. */
  private async open(caller: Caller): Promise<RepositoryCall> {
    const git = this.git(caller);
    const worktrees = await listWorktrees(git);
    const settings = await readWorktreeSettings(git, this.config, caller.project, worktrees);
    // The target is read when used: an unapproved targetBranch refuses only the calls that need it.
    return { project: caller.project, settings, repo: { git, worktrees, get target() { return settings.target; } } };
  }
}

function throwNoWorktree(name: string): never {
  throw new DomainError('NOT_FOUND', `implementer ${name} has no worktree`, `Call worktree_create with implementerId "${name}" (it resumes an existing branch), or worktree_list.`, {
    implementer: name,
  });
}
