// The shape of every stored row, shared by both backends. Times are epoch milliseconds; columns that
// hold arrays or objects are listed in JSON_COLUMNS so SQLite can serialise them.

import type { AgentRole, AgentType, Complexity, DiscussionCategory, DiscussionPriority, DiscussionStatus, Isolation, Json, LockEndReason, LockKind, ProjectStatus, TaskStatus } from '../core/vocabulary.js';

export interface AgentRow {
  project: string;
  id: string; // the agent's name, unique within a project
  role: AgentRole;
  type: AgentType;
  pid: number;
  host: string;
  status: 'active' | 'gone';
  registeredAt: number;
  lastSeenAt: number;
  eventCursor: number; // last event seq this agent has been told about
  noteCursor: number; // last note id this agent has read
  /** The client session that registered it (schema v3; absent or null on older rows). */
  session?: string | null;
  /** The tool whose call wrote the last heartbeat (schema v7): as fresh as lastSeenAt. */
  lastTool?: string | null;
}

/**
 * A planner admission: who let `name` join as a planner (null: it was the project's first planner)
 * and which session used it. An unused row is the proof a newcomer or a name's new holder needs.
 */
export interface AdmissionRow {
  project: string;
  name: string;
  admittedBy: string | null;
  admittedAt: number;
  usedBy: string | null;
  usedAt: number | null;
}

/**
 * A remote agent's access token (schema v4): the name and role it binds a session to, and the SHA-256
 * of its secret; the secret itself is shown once and never stored.
 */
export interface TokenRow {
  project: string;
  name: string;
  role: AgentRole;
  hash: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  /** Schema v8: the projects (ids or shared-remote URLs) it may open sessions on; empty: any. */
  projects?: string[];
}

/** Someone who claimed, worked on or submitted a task, and from which client session. */
export interface Participant {
  name: string;
  session: string | null;
}

export interface TaskRow {
  project: string;
  id: number;
  title: string;
  description: string | null;
  status: TaskStatus;
  complexity: Complexity;
  isolation: Isolation;
  owner: string | null;
  tags: string[];
  metadata: Record<string, Json>;
  dependsOn: number[];
  reviewNotes: string | null;
  feedback: string | null;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  // Review of worktree tasks (schema v2). Optional because rows written before v2 (and JSON stores)
  // lack them: absent means null.
  /** The branch head the owner submitted: the one commit an approval may land. */
  reviewedRev?: string | null;
  /** The project's verify command as run on reviewedRev. */
  verify?: VerifyRecord | null;
  /** The target commit that contains the approved work. */
  landedRev?: string | null;
  /** Who claimed, worked on or submitted it (schema v3; absent means none): none of them may approve it. */
  participants?: Participant[];
}

export interface VerifyRecord {
  /** null when the command was ended by a signal or timed out. */
  exitCode: number | null;
  durationMs: number;
  logTail: string;
}

export interface LockRow {
  project: string;
  id: number; // also the fencing token: strictly increasing per project
  path: string; // repo-relative POSIX path, directory or glob
  kind: LockKind;
  owner: string;
  ownerPid: number | null;
  ownerHost: string | null;
  note: string | null;
  status: 'active' | 'resolved';
  acquiredAt: number;
  expiresAt: number;
  endedAt: number | null;
  endReason: LockEndReason | null;
}

export interface NoteRow {
  project: string;
  id: number;
  author: string;
  to: string | null; // null: every agent
  text: string;
  createdAt: number;
}

export interface DiscussionRow {
  project: string;
  id: number;
  topic: string;
  category: DiscussionCategory;
  priority: DiscussionPriority;
  status: DiscussionStatus;
  author: string;
  waitingOn: string | null;
  decision: string | null;
  reasoning: string | null;
  decidedBy: string | null;
  linkedTaskId: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface MessageRow {
  project: string;
  id: number;
  discussionId: number;
  author: string;
  message: string;
  recommendation: string | null;
  createdAt: number;
}

export interface EventRow {
  project: string;
  seq: number;
  at: number;
  actor: string | null;
  kind: string;
  target: string | null; // the one agent this concerns, or null for everyone
  subject: string | null; // the id of the task, lock path, note, discussion it is about
  data: Record<string, Json>;
}

/** A line comment on a task's diff (schema v3); a reply has parentId and copies its root's place. */
export interface CommentRow {
  project: string;
  id: number;
  taskId: number;
  parentId: number | null;
  file: string;
  side: 'old' | 'new';
  line: number;
  /** The code line as the commenter saw it: how a later submission shows that the code moved. */
  quote: string;
  /** The commit whose file `line` counts in: the branch head (new side) or the merge base (old side). */
  reviewedCommit: string;
  author: string;
  body: string;
  resolvedAt: number | null;
  resolvedBy: string | null;
  createdAt: number;
}

export interface ContextRow {
  project: string;
  description: string | null;
  endState: string | null;
  techStack: string[];
  constraints: string[];
  acceptanceCriteria: string[];
  tests: string[];
  implementationPlan: string[];
  preferredImplementer: 'claude' | 'codex' | null;
  status: ProjectStatus;
  updatedAt: number;
}

export interface Tables {
  agents: AgentRow;
  tasks: TaskRow;
  locks: LockRow;
  notes: NoteRow;
  discussions: DiscussionRow;
  messages: MessageRow;
  events: EventRow;
  contexts: ContextRow;
  admissions: AdmissionRow;
  tokens: TokenRow;
  comments: CommentRow;
}

export type TableName = keyof Tables;

export const TABLE_NAMES = [
  'agents',
  'tasks',
  'locks',
  'notes',
  'discussions',
  'messages',
  'events',
  'contexts',
  'admissions',
  'tokens',
  'comments',
] as const satisfies readonly TableName[];

export const JSON_COLUMNS: { readonly [T in TableName]: readonly (keyof Tables[T])[] } = {
  agents: [],
  tasks: ['tags', 'metadata', 'dependsOn', 'verify', 'participants'],
  locks: [],
  notes: [],
  discussions: [],
  messages: [],
  events: ['data'],
  contexts: ['techStack', 'constraints', 'acceptanceCriteria', 'tests', 'implementationPlan'],
  admissions: [],
  tokens: ['projects'],
  comments: [],
};
