// The domain's vocabulary: the closed sets of values every layer speaks (roles, statuses, kinds),
// below the domain so the store, policy and adapters share it without depending on one another.

export const AGENT_ROLES = ['planner', 'implementer'] as const;
export const AGENT_TYPES = ['claude', 'codex', 'other'] as const;
export const TASK_STATUSES = ['todo', 'in_progress', 'blocked', 'review', 'changes_requested', 'done'] as const;
export const COMPLEXITIES = ['simple', 'medium', 'complex', 'critical'] as const;
export const ISOLATIONS = ['shared', 'worktree'] as const;
export const PROJECT_STATUSES = ['planning', 'ready', 'in_progress', 'complete', 'stopped'] as const;
export const LOCK_KINDS = ['file', 'dir', 'glob'] as const;
export const LOCK_STATUSES = ['active', 'resolved'] as const;
export const LOCK_END_REASONS = ['released', 'expired', 'owner_gone', 'forced', 'reset'] as const;
export const DISCUSSION_CATEGORIES = ['architecture', 'implementation', 'blocker', 'question', 'other'] as const;
export const DISCUSSION_PRIORITIES = ['low', 'medium', 'high', 'blocking'] as const;
export const DISCUSSION_STATUSES = ['open', 'waiting', 'resolved', 'archived'] as const;

export type AgentRole = (typeof AGENT_ROLES)[number];
export type AgentType = (typeof AGENT_TYPES)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type Complexity = (typeof COMPLEXITIES)[number];
export type Isolation = (typeof ISOLATIONS)[number];
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export type LockKind = (typeof LOCK_KINDS)[number];
export type LockEndReason = (typeof LOCK_END_REASONS)[number];
export type DiscussionCategory = (typeof DISCUSSION_CATEGORIES)[number];
export type DiscussionPriority = (typeof DISCUSSION_PRIORITIES)[number];
export type DiscussionStatus = (typeof DISCUSSION_STATUSES)[number];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
