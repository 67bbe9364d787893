// SQLite schema, versioned through PRAGMA user_version. Migrations only ever append; a database newer
// than this code is refused rather than guessed at.

import { sqlEnum } from './sql.js';
import { AGENT_ROLES, AGENT_TYPES, COMPLEXITIES, DISCUSSION_CATEGORIES, DISCUSSION_PRIORITIES, DISCUSSION_STATUSES, ISOLATIONS, LOCK_END_REASONS, LOCK_KINDS, LOCK_STATUSES, PROJECT_STATUSES, TASK_STATUSES } from '../core/vocabulary.js';

const schemaV1 = `
CREATE TABLE agents (
  project TEXT NOT NULL, id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN (${sqlEnum(AGENT_ROLES)})),
  type TEXT NOT NULL CHECK (type IN (${sqlEnum(AGENT_TYPES)})),
  pid INTEGER NOT NULL, host TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active','gone')),
  registeredAt INTEGER NOT NULL, lastSeenAt INTEGER NOT NULL,
  eventCursor INTEGER NOT NULL DEFAULT 0, noteCursor INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (project, id)
) WITHOUT ROWID;

CREATE TABLE tasks (
  project TEXT NOT NULL, id INTEGER NOT NULL,
  title TEXT NOT NULL, description TEXT,
  status TEXT NOT NULL CHECK (status IN (${sqlEnum(TASK_STATUSES)})),
  complexity TEXT NOT NULL CHECK (complexity IN (${sqlEnum(COMPLEXITIES)})),
  isolation TEXT NOT NULL CHECK (isolation IN (${sqlEnum(ISOLATIONS)})),
  owner TEXT,
  tags TEXT NOT NULL DEFAULT '[]', metadata TEXT NOT NULL DEFAULT '{}', dependsOn TEXT NOT NULL DEFAULT '[]',
  reviewNotes TEXT, feedback TEXT, createdBy TEXT,
  createdAt INTEGER NOT NULL, updatedAt INTEGER NOT NULL,
  PRIMARY KEY (project, id)
);
CREATE INDEX tasks_by_status ON tasks (project, status, id);
CREATE INDEX tasks_by_owner ON tasks (project, owner, id);

CREATE TABLE locks (
  project TEXT NOT NULL, id INTEGER NOT NULL,
  path TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN (${sqlEnum(LOCK_KINDS)})),
  owner TEXT NOT NULL, ownerPid INTEGER, ownerHost TEXT, note TEXT,
  status TEXT NOT NULL CHECK (status IN (${sqlEnum(LOCK_STATUSES)})),
  acquiredAt INTEGER NOT NULL, expiresAt INTEGER NOT NULL, endedAt INTEGER,
  endReason TEXT CHECK (endReason IS NULL OR endReason IN (${sqlEnum(LOCK_END_REASONS)})),
  PRIMARY KEY (project, id)
);
CREATE INDEX locks_by_status ON locks (project, status, path);
CREATE INDEX locks_by_owner ON locks (project, owner, status);

CREATE TABLE notes (
  project TEXT NOT NULL, id INTEGER NOT NULL,
  author TEXT NOT NULL, "to" TEXT, text TEXT NOT NULL, createdAt INTEGER NOT NULL,
  PRIMARY KEY (project, id)
);

CREATE TABLE discussions (
  project TEXT NOT NULL, id INTEGER NOT NULL,
  topic TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN (${sqlEnum(DISCUSSION_CATEGORIES)})),
  priority TEXT NOT NULL CHECK (priority IN (${sqlEnum(DISCUSSION_PRIORITIES)})),
  status TEXT NOT NULL CHECK (status IN (${sqlEnum(DISCUSSION_STATUSES)})),
  author TEXT NOT NULL, waitingOn TEXT,
  decision TEXT, reasoning TEXT, decidedBy TEXT, linkedTaskId INTEGER,
  createdAt INTEGER NOT NULL, updatedAt INTEGER NOT NULL,
  PRIMARY KEY (project, id)
);
CREATE INDEX discussions_by_waiting ON discussions (project, waitingOn, status);

CREATE TABLE messages (
  project TEXT NOT NULL, id INTEGER NOT NULL, discussionId INTEGER NOT NULL,
  author TEXT NOT NULL, message TEXT NOT NULL, recommendation TEXT, createdAt INTEGER NOT NULL,
  PRIMARY KEY (project, id)
);
CREATE INDEX messages_by_discussion ON messages (project, discussionId, id);

CREATE TABLE events (
  project TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL,
  actor TEXT, kind TEXT NOT NULL, target TEXT, subject TEXT, data TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (project, seq)
);
CREATE INDEX events_by_target ON events (project, target, seq);

CREATE TABLE contexts (
  project TEXT NOT NULL PRIMARY KEY,
  description TEXT, endState TEXT,
  techStack TEXT NOT NULL DEFAULT '[]', constraints TEXT NOT NULL DEFAULT '[]',
  acceptanceCriteria TEXT NOT NULL DEFAULT '[]', tests TEXT NOT NULL DEFAULT '[]',
  implementationPlan TEXT NOT NULL DEFAULT '[]',
  preferredImplementer TEXT CHECK (preferredImplementer IS NULL OR preferredImplementer IN ('claude','codex')),
  status TEXT NOT NULL CHECK (status IN (${sqlEnum(PROJECT_STATUSES)})),
  updatedAt INTEGER NOT NULL
);

CREATE TABLE counters (
  project TEXT NOT NULL, name TEXT NOT NULL, value INTEGER NOT NULL,
  PRIMARY KEY (project, name)
) WITHOUT ROWID;
`;

/** Worktree tasks: the reviewed commit, the verify run on it (JSON text) and where it landed. */
const schemaV2 = `
ALTER TABLE tasks ADD COLUMN reviewedRev TEXT;
ALTER TABLE tasks ADD COLUMN verify TEXT;
ALTER TABLE tasks ADD COLUMN landedRev TEXT;
`;

/**
 * Identity and separation of duties: the client session that registered each agent, who claimed,
 * worked on or submitted each task (JSON text), and planner admissions (kept across session_reset).
 */
const schemaV3 = `
ALTER TABLE agents ADD COLUMN session TEXT;
ALTER TABLE tasks ADD COLUMN participants TEXT NOT NULL DEFAULT '[]';
CREATE TABLE admissions (
  project TEXT NOT NULL, name TEXT NOT NULL,
  admittedBy TEXT, admittedAt INTEGER NOT NULL,
  usedBy TEXT, usedAt INTEGER,
  PRIMARY KEY (project, name)
) WITHOUT ROWID;
`;

/**
 * Access tokens for remote agents (Streamable HTTP): only a hash of each secret is kept. Tokens belong
 * to the server, not to one project, so their rows live under the reserved scope TOKEN_SCOPE.
 */
const schemaV4 = `
CREATE TABLE tokens (
  project TEXT NOT NULL, name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN (${sqlEnum(AGENT_ROLES)})),
  hash TEXT NOT NULL,
  createdAt INTEGER NOT NULL, expiresAt INTEGER, revokedAt INTEGER,
  PRIMARY KEY (project, name)
) WITHOUT ROWID;
CREATE INDEX tokens_by_hash ON tokens (project, hash);
`;

/** Line comments on a task's diff: a thread root carries the place; replies copy it and name the root. */
const schemaV5 = `
CREATE TABLE comments (
  project TEXT NOT NULL, id INTEGER NOT NULL, taskId INTEGER NOT NULL, parentId INTEGER,
  file TEXT NOT NULL, side TEXT NOT NULL CHECK (side IN ('old','new')), line INTEGER NOT NULL,
  quote TEXT NOT NULL, reviewedCommit TEXT NOT NULL, author TEXT NOT NULL, body TEXT NOT NULL,
  resolvedAt INTEGER, resolvedBy TEXT, createdAt INTEGER NOT NULL,
  PRIMARY KEY (project, id)
);
CREATE INDEX comments_by_task ON comments (project, taskId, id);
`;

/**
 * Indexes for the queries every call makes (issue 10): unread notes by addressee after a cursor. Tasks
 * by status, locks by status and path, and events by target after a seq have theirs since v1.
 */
const schemaV6 = `
CREATE INDEX notes_by_addressee ON notes (project, "to", id);
`;

/** The tool of each agent's last recorded heartbeat, for the dashboard's implementers list (issue 8). */
const schemaV7 = `
ALTER TABLE agents ADD COLUMN lastTool TEXT;
`;

/** Tokens limited to projects (issue 11): the project ids or shared-remote URLs a token may use; '[]' = any. */
const schemaV8 = `
ALTER TABLE tokens ADD COLUMN projects TEXT NOT NULL DEFAULT '[]';
`;

/**
 * Fewer pages per lock write (issue 10), each page one more WAL frame at every commit: events live in
 * their primary key's own b-tree (WITHOUT ROWID), not in a rowid table plus an index of (project, seq),
 * and lose events_by_target: every read of events walks seq after a cursor, which the key now keeps in
 * order on the rows themselves, and the broadcast news (target NULL) was a walk over nearly every event
 * after the cursor anyway. locks_by_owner goes too: the heartbeat's one query by owner finds the few
 * active locks through locks_by_status, and every lock write paid for it. Locks stay a rowid table:
 * WITHOUT ROWID, SQLite's planner walks a project's whole history of locks by key instead of
 * locks_by_status. A lock write goes from about nine pages to five.
 */
const schemaV9 = `
DROP INDEX locks_by_owner;

CREATE TABLE events_v9 (
  project TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL,
  actor TEXT, kind TEXT NOT NULL, target TEXT, subject TEXT, data TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (project, seq)
) WITHOUT ROWID;
INSERT INTO events_v9 (project, seq, at, actor, kind, target, subject, data)
  SELECT project, seq, at, actor, kind, target, subject, data FROM events;
DROP TABLE events;
ALTER TABLE events_v9 RENAME TO events;
`;

/** migrations[i] takes the schema from version i to version i + 1. */
export const MIGRATIONS: readonly string[] = [schemaV1, schemaV2, schemaV3, schemaV4, schemaV5, schemaV6, schemaV7, schemaV8, schemaV9];

export const SCHEMA_VERSION = MIGRATIONS.length;
