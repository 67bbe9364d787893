// Global setup of every vitest run: a directory where the first test file that needs PostgreSQL starts
// the run's one shared cluster (fixtures/postgres.ts), and the teardown that stops it and removes it.

import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { stopClusterIn } from '../fixtures/postgres.js';

let runDir: string | undefined;

export function setup(project: TestProject): void {
  runDir = mkdtempSync(join(tmpdir(), 'lockstep-pg-run-'));
  chmodSync(runDir, 0o755); // the cluster inside runs as the postgres user when we are root
  project.provide('postgresRunDir', runDir);
}

export function teardown(): void {
  if (!runDir) return;
  stopClusterIn(join(runDir, 'cluster'));
  rmSync(runDir, { recursive: true, force: true });
}
