// Coordination family: who the agent is (coordination_init), the project's context and status, the
// implementer registry, resetting a project, and the server's own status.

import * as z from 'zod';
import packageJson from '../../../package.json' with { type: 'json' };
import { DISABLED_GUIDANCE, guidanceFor } from '../../domain/guidance.js';
import { readProjectConfig } from '../../domain/project-config.js';
import { AGENT_ROLES, AGENT_TYPES, PROJECT_STATUSES } from '../../core/vocabulary.js';
import { defineTool, DESTRUCTIVE, IDEMPOTENT_WRITE, READ_ONLY } from '../define.js';
import { projectRoot } from '../params.js';

const texts = z.array(z.string()).optional();

const coordinationInit = defineTool({
  name: 'coordination_init',
  title: 'Join the project as planner or implementer',
  description: 'Call first: join as planner/implementer.',
  input: z
    .object({
      role: z.enum(AGENT_ROLES),
      name: z.string().min(1).max(64).optional(),
      type: z.enum(AGENT_TYPES).optional(),
      projectRoot,
      // Remote agents name the project (id or shared-remote URL); the session then stays on it.
      project: z.string().min(1).max(2048).optional(),
    })
    .strict(),
  annotations: IDEMPOTENT_WRITE,
  async handler(input, call) {
    const { root } = call.caller.project;
    if ((await readProjectConfig(root)).enabled === false) return { disabled: true, project: { root }, guidance: DISABLED_GUIDANCE };
    const { agent, resumed, projectStatus } = await call.app.agents.register(call.caller, input);
    call.session.agent = { name: agent.id, role: agent.role, type: agent.type };
    if (input.project !== undefined) call.session.project = call.caller.project;
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
  description: 'Planner: admit one more planner.',
  input: z.object({ name: z.string().min(1).max(64) }).strict(),
  annotations: IDEMPOTENT_WRITE,
  handler: (input, call) => call.app.admissions.admit(call.caller, input.name),
});

const projectContextSet = defineTool({
  name: 'project_context_set',
  title: 'Record the project goal, stack and plan (planner)',
  description: 'Planner: set goal, rules, plan.',
  input: z
    .object({
      description: z.string().min(1),
      endState: z.string().min(1),
      techStack: texts,
      constraints: texts,
      acceptanceCriteria: texts,
      tests: texts,
      implementationPlan: texts,
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
  description: 'Project goal, rules, plan, status.',
  input: z.object({ projectRoot }).strict(),
  annotations: READ_ONLY,
  async handler(_input, call) {
    return { context: await call.app.project.getContext(call.caller) };
  },
});

const projectStatusSet = defineTool({
  name: 'project_status_set',
  title: 'Move the project to another phase (planner)',
  description: 'Planner: set phase; stopped halts all.',
  input: z.object({ status: z.enum(PROJECT_STATUSES), projectRoot }).strict(),
  annotations: IDEMPOTENT_WRITE,
  async handler(input, call) {
    return call.app.project.setStatus(call.caller, input.status);
  },
});

const implementerList = defineTool({
  name: 'implementer_list',
  title: 'List the implementers and whether they are alive',
  description: 'Implementers, liveness, tasks.',
  input: z.object({ projectRoot }).strict(),
  annotations: IDEMPOTENT_WRITE,
  async handler(_input, call) {
    return { implementers: await call.app.implementers.list(call.caller) };
  },
});

const implementerReset = defineTool({
  name: 'implementer_reset',
  title: 'Forget all implementers (planner)',
  description: 'Planner: forget all implementers.',
  input: z.object({ projectRoot }).strict(),
  annotations: DESTRUCTIVE,
  async handler(_input, call) {
    return call.app.agents.resetImplementers(call.caller);
  },
});

const sessionReset = defineTool({
  name: 'session_reset',
  title: "Wipe this project's coordination state (planner)",
  description: 'Planner, if human asks: wipe all state.',
  input: z
    .object({
      confirm: z.boolean(),
      keepProjectContext: z.boolean().optional(),
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
  description: 'Version, settings, your identity.',
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
