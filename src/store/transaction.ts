// Drives a transaction body (see TxStep in store.ts): hands each operation it yields to a backend and
// resumes it with the result, or with the backend's error thrown at the `yield*` that asked.

import type { AsyncOps, ReadTx, TxRequest, TxStep, WriteOps, WriteTx } from './store.js';

type Operation = (...args: unknown[]) => unknown;

function* request(op: TxRequest['op'], args: unknown[]): TxStep<never> {
  return (yield { op, args }) as never;
}

const WRITE_STEPS: Omit<WriteTx, 'project'> = {
  find: (...args) => request('find', args),
  one: (...args) => request('one', args),
  count: (...args) => request('count', args),
  max: (...args) => request('max', args),
  insert: (...args) => request('insert', args),
  update: (...args) => request('update', args),
  remove: (...args) => request('remove', args),
  nextId: (...args) => request('nextId', args),
};

const READ_STEPS: Omit<ReadTx, 'project'> = {
  find: WRITE_STEPS.find,
  one: WRITE_STEPS.one,
  count: WRITE_STEPS.count,
  max: WRITE_STEPS.max,
};

export function writeSteps(project: string): WriteTx {
  return { project, ...WRITE_STEPS };
}

/** A read transaction's body gets no write operations, so a read can never write. */
export function readSteps(project: string): ReadTx {
  return { project, ...READ_STEPS };
}

/**
 * An async function or async generator as a body would hand the driver promises: they would commit
 * before the body's work, and resuming them with errors would loop forever. Refused before any step.
 */
function assertGenerator(body: unknown): void {
  if (Object.prototype.toString.call(body) === '[object Generator]') return;
  throw new TypeError('a transaction body must be a generator function (function*); it cannot return a promise');
}

/** Runs every step at once: for backends whose transaction must not yield to the event loop. */
export function runSynchronously<R>(body: TxStep<R>, ops: Partial<WriteOps>): R {
  assertGenerator(body);
  let next = body.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = (ops[next.value.op] as Operation).apply(ops, next.value.args);
    } catch (error) {
      next = body.throw(error);
      continue;
    }
    next = body.next(result);
  }
  return next.value;
}

/** Awaits each step in turn: for a backend whose client is asynchronous. */
export async function runAsynchronously<R>(body: TxStep<R>, ops: Partial<AsyncOps<WriteOps>>): Promise<R> {
  assertGenerator(body);
  let next = body.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = await (ops[next.value.op] as Operation).apply(ops, next.value.args);
    } catch (error) {
      next = body.throw(error);
      continue;
    }
    next = body.next(result);
  }
  return next.value;
}
