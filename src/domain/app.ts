// Wires the domain services together over one store. Every adapter (MCP, dashboard, CLI) builds one
// App and calls the same services, so no rule is implemented twice.

import { join } from 'node:path';
import { storeLocation, type Config } from '../config.js';
import { openStoreLazily } from '../store/open.js';
import type { Store } from '../store/store.js';
import { ActivityService } from './activity.js';
import { AdmissionService } from './admissions.js';
import { AgentService } from './agents.js';
import { CommandService } from './commands.js';
import { ConfigReviewService } from './config-review.js';
import { isPidAlive } from '../../git/pid.js';
import type { Clock, DomainContext } from './context.js';
import { DiscussionService } from './discussions.js';
import { FileService } from './files.js';
import { ImplementerService } from './implementers.js';
import { LockService } from './locks.js';
import { NoteService } from './notes.js';
import { ProjectService } from './project.js';
import { ReviewCommentService } from './review-comments.js';
import { ReviewService } from './review.js';
import { TaskService } from './tasks.js';
import { TokenService } from './tokens.js';
import { WorktreeService } from './worktrees.js';

export interface App {
  context: DomainContext;
  activity: ActivityService;
  agents: AgentService;
  admissions: AdmissionService;
  project: ProjectService;
  tasks: TaskService;
  review: ReviewService;
  comments: ReviewCommentService;
  locks: LockService;
  notes: NoteService;
  discussions: DiscussionService;
  files: FileService;
  implementers: ImplementerService;
  commands: CommandService;
  configReview: ConfigReviewService;
  worktrees: WorktreeService;
  tokens: TokenService;
  close(): void;
}

export interface AppOptions {
  clock?: Clock;
  store?: Store;
  /** Our built entry, which launched agents run as their server; default: the program running now. */
  cliFile?: string;
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const store = options.store ?? openStoreLazily(config.storage, storeLocation(config));
  const context: DomainContext = {
    store,
    clock: options.clock ?? { now: () => Date.now() },
    host: config.hostId,
    pid: process.pid,
    // Locks sweep every active lock's owner on each acquire: this process's own need no /proc read.
    isPidAlive: (pid) => pid === process.pid || isPidAlive(pid),
    openSessions: new Set(),
    settings: { lockLeaseMs: config.lockLeaseMs, artifactsDir: join(config.dataDir, 'artifacts') },
  };
  const agents = new AgentService(context);
  const locks = new LockService(context);
  const worktrees = new WorktreeService(context, config);
  const tasks = new TaskService(context, agents, worktrees);
  return {
    context,
    activity: new ActivityService(context),
    agents,
    admissions: new AdmissionService(context),
    project: new ProjectService(context),
    tasks,
    review: new ReviewService(context, worktrees, config),
    comments: new ReviewCommentService(context, worktrees),
    locks,
    notes: new NoteService(context),
    discussions: new DiscussionService(context),
    files: new FileService(context, config, locks),
    commands: new CommandService(context, config),
    configReview: new ConfigReviewService(context, config.dataDir),
    worktrees,
    tokens: new TokenService(context),
    implementers: new ImplementerService(context, agents, worktrees, {
      logDir: join(config.dataDir, 'logs', 'implementers'),
      cliFile: options.cliFile ?? process.argv[1] ?? '',
      config,
    }),
    close: () => store.close(),
  };
}
