// The command-line flags that make another lockstep process (a launched agent's server, a dashboard)
// open the very store this one uses. Here, below every layer, so the domain and the launchers share it.

export interface StoreSettings {
  storage: string;
  dbPath: string;
  databaseUrl?: string;
}

/**
 * A database password never goes on a command line, where any local user reads it: the child gets the
 * URL without it and finds the password where libpq looks (PGPASSWORD, ~/.pgpass).
 */
export function storeArguments(settings: StoreSettings): string[] {
  const args = ['--storage', settings.storage, '--db-path', settings.dbPath];
  if (settings.databaseUrl !== undefined) args.push('--database-url', urlWithoutPassword(settings.databaseUrl));
  return args;
}

export function urlWithoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}
