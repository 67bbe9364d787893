// Coordination family: who the agent is (coordination_init), the project's context and status, the
// implementer registry, resetting a project, and the server's own status.

import * as z from 'zod';
import packageJson from '../../../package.json' with { type: 'json' };
import { DISABLED_GUIDANCE, guidanceFor } from '../../domain/guidance.js';
import { readProjectConfig } from '../../domain/project-config.js';
import { AGENT_ROLES, AGENT_TYPES, PROJECT_STATUSES } from '../../core/vocabulary.js';
import { defineTool, DESTRUCTIVE, IDEMPOTENT_WRITE, READ_ONLY } from '../define.js';

const projectRoot = z
  .string()
  .min(1)
  .optional()
  .describe("A directory inside the project's repository; default: the server's working directory.");
const texts = (what: string) => z.array(z.string()).optional().describe(what);

const coordinationInit = defineTool({
  name: 'coordination_init',
  title: 'Join the project as planner or implementer',
  description:
    'Call this FIRST. Registers you (role, name, type) and binds the identity to this session, so later calls act as ' +
    'you and results carry a "pending" block with news for you. Returns your name, the project ' +
    'status and guidance: what to do next for your role and phase. Omit name to get one generated. ' +
    'In a project where a human turned coordination off it registers nothing and returns disabled: true; then work ' +
    'without lockstep. A session keeps its first role; a second planner needs planner_admit. Errors: NAME_TAKEN (a running agent holds that name: pick another or omit it), ' +
    'INVALID_NAME (the name cannot become a branch: pick another or omit it), ADMISSION_REQUIRED, ROLE_FORBIDDEN.',
  input: z
    .object({
      role: z.enum(AGENT_ROLES).describe('planner: plans and reviews; implementer: claims and does tasks.'),
      name: z.string().min(1).max(64).optional().describe('Letters, digits, "-", "_", "."; becomes your branch lockstep/<name>.'),
      type: z.enum(AGENT_TYPES).optional().describe('Which agent program you are (default other).'),
      projectRoot,
    })
    .strict(),
  annotations: IDEMPOTENT_WRITE,
  async handler(input, call) {
    const { root } = call.caller.project;
    if ((await readProjectConfig(root)).enabled === false) return { disabled: true, project: { root }, guidance: DISABLED_GUIDANCE };
    const { agent, resumed, projectStatus } = await call.app.agents.register(call.caller, input);
    call.session.agent = { name: agent.id, role: agent.role };
    return {
      agent: { name: agent.id, role: agent.role, type: agent.type },
      project: { root: call.caller.project.root, status: projectStatus },
      ...(resumed && { resumed }),
      guidance: guidanceFor(agent.role, projectStatus),
    };
  },
});

const plannerAdmit = defineTool({
  name: 'planner_admit',
  title: 'Let another planner join (planner)',
  description:
    'Planner only. Lets one more session join this project as planner `name` (coordination_init with role planner), ' +
    'including taking over that name from a planner whose process died. Errors: ROLE_FORBIDDEN, INVALID_NAME.',
  input: z.object({ name: z.string().min(1).max(64).describe('The planner name to admit.'), projectRoot }).strict(),
  annotations: IDEMPOTENT_WRITE,
  handler: (input, call) => call.app.admissions.admit(call.caller, input.name),
});

const projectContextSet = defineTool({
  name: 'project_context_set',
  title: 'Record the project goal, stack and plan (planner)',
  description:
    "Planner only. Stores the project's shared context that every agent reads with project_context_get. Fields you " +
    'omit keep their stored value; arrays you give replace the stored array. Giving status also changes the project ' +
    'status (as project_status_set does). Errors: ROLE_FORBIDDEN (not a planner). Next: task_create for the plan.',
  input: z
    .object({
      description: z.string().min(1).describe('What is being built, in a few sentences.'),
      endState: z.string().min(1).describe('What "done" looks like.'),
      techStack: texts('Languages, frameworks, tools.'),
      constraints: texts('Rules every agent must respect.'),
      acceptanceCriteria: texts('Checks the result must pass.'),
      tests: texts('Test commands or suites to run.'),
      implementationPlan: texts('Ordered steps; each usually becomes one or more tasks.'),
      preferredImplementer: z.enum(['claude', 'codex']).optional(),
      status: z.enum(PROJECT_STATUSES).optional(),
      projectRoot,
    })
    .strict(),
  annotations: IDEMPOTENT_WRITE,
  async handler({ projectRoot: _root, ...fields }, call) {
    return { context: await call.app.project.setContext(call.caller, fields) };
  },
});

const projectContextGet = defineTool({
  name: 'project_context_get',
  title: 'Read the project goal, stack, plan and status',
  description:
    'Returns the context the planner recorded (description, endState, techStack, constraints, acceptanceCriteria, tests, ' +
    'implementationPlan, preferredImplementer) and the project status. Only fields that are set appear. Call it before ' +
    'starting work to learn the rules of the project.',
  input: z.object({ projectRoot }).strict(),
  annotations: READ_ONLY,
  async handler(_input, call) {
    return { context: await call.app.project.getContext(call.caller) };
  },
});

const projectStatusSet = defineTool({
  name: 'project_status_set',
  title: 'Move the project to another phase (planner)',
  description:
    'Planner only. Sets the phase: planning -> ready -> in_progress -> complete, or stopped to halt everyone. Every other ' +
    'agent sees the change in its next "pending" block; stopped/complete tell them to stop. Errors: ROLE_FORBIDDEN.',
  input: z.object({ status: z.enum(PROJECT_STATUSES), projectRoot }).strict(),
  annotations: IDEMPOTENT_WRITE,
  async handler(input, call) {
    return call.app.project.setStatus(call.caller, input.status);
  },
});

const implementerList = defineTool({
  name: 'implementer_list',
  title: 'List the implementers and whether they are alive',
  description:
    'Lists the implementers registered in this project with their type, liveness, last tool call (lastSeenAt, epoch ms), ' +
    'newest commit on their branch (lastCommitAt) and task in progress. liveness: working (alive, active in the last 2 ' +
    'minutes), idle (alive, quiet), stale (on another machine and silent for 15 minutes), dead (its process ended). A dead ' +
    "implementer's locks are released and its in-progress task goes back to todo (its branch is kept); reclaimed says " +
    'what this call took back. Use it before creating or reassigning tasks, and to decide whether to launch_implementer.',
  input: z.object({ projectRoot }).strict(),
  annotations: IDEMPOTENT_WRITE,
  async handler(_input, call) {
    return { implementers: await call.app.implementers.list(call.caller) };
  },
});

const implementerReset = defineTool({
  name: 'implementer_reset',
  title: 'Forget all implementers (planner)',
  description:
    "Planner only. Removes every implementer's registration in this project, e.g. before launching a fresh set. Tasks " +
    'and locks are left as they are (reassign tasks with task_update; dead owners lose locks by themselves). A still ' +
    'running implementer is told to call coordination_init again. Errors: ROLE_FORBIDDEN.',
  input: z.object({ projectRoot }).strict(),
  annotations: DESTRUCTIVE,
  async handler(_input, call) {
    return call.app.agents.resetImplementers(call.caller);
  },
});

const sessionReset = defineTool({
  name: 'session_reset',
  title: "Wipe this project's coordination state (planner)",
  description:
    "Planner only, and only when the human asks for it. Deletes this project's tasks, locks, notes, discussions, agents and " +
    'events (and its context unless keepProjectContext: true). Other projects are never touched; ids are never reused. ' +
    'Errors: CONFIRM_REQUIRED (pass confirm: true), ROLE_FORBIDDEN. Next: call coordination_init again.',
  input: z
    .object({
      confirm: z.boolean().describe('Must be true: this cannot be undone.'),
      keepProjectContext: z.boolean().optional().describe('Keep the project context and status (default false).'),
      projectRoot,
    })
    .strict(),
  annotations: DESTRUCTIVE,
  async handler(input, call) {
    const result = await call.app.project.reset(call.caller, input);
    // The session's registration was just deleted with the rest; keeping the identity would act as a ghost.
    delete call.session.agent;
    return { ...result, next: 'Call coordination_init again.' };
  },
});

const statusGet = defineTool({
  name: 'status_get',
  title: 'Show server version, settings and this session',
  description:
    'Returns the server version, its settings (file mode and roots, storage and store file, command policy, lock lease), ' +
    "this session's identity (absent before coordination_init) and the project it acts on. Use it to diagnose set-up problems.",
  input: z.object({}).strict(),
  annotations: READ_ONLY,
  handler(_input, call) {
    const { mode, roots, storage, dbPath, commandMode, commandAllow, lockLeaseMs } = call.config;
    return {
      version: packageJson.version,
      config: { mode, roots, storage, dbPath, commandMode, commandAllow, lockLeaseMs },
      ...(call.session.agent && { session: call.session.agent }),
      project: { root: call.caller.project.root },
    };
  },
});

export const coordinationTools = [
  coordinationInit,
  plannerAdmit,
  projectContextSet,
  projectContextGet,
  projectStatusSet,
  implementerList,
  implementerReset,
  sessionReset,
  statusGet,
];
