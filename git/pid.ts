// One fact about processes shared by the repository and store lock files and the domain's liveness rules.

/** Whether a process of this host still runs (EPERM: it exists but belongs to another user). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
