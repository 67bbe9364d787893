// The demo's dashboard: a real `lockstep-mcp dashboard` process on the demo's store, started in the
// scratch repository so that its project is the one selected, and the tokened URL it prints.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { DemoWorkspace } from './scratch-repo.js';

export interface DemoDashboard {
  /** The address with this run's access token. */
  url: string;
  stop(): Promise<void>;
}

const TOKENED_URL = /https?:\/\/\S+[?&]token=\S+/;

export async function startDashboardProcess(cliFile: string, workspace: DemoWorkspace, open: boolean): Promise<DemoDashboard> {
  const child = spawn(process.execPath, [cliFile, 'dashboard', open ? '--open' : '--no-open'], {
    cwd: workspace.repo,
    env: { ...process.env, COORD_DATA_DIR: workspace.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await printedUrl(child);
  // From here on its output is not ours to show: drain it so it never blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

function printedUrl(child: ChildProcess): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = TOKENED_URL.exec(output);
      if (match) resolve(match[0]);
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`the dashboard exited (${code}) before printing its address:\n${output}`)));
  });
}
