// Chooses the backend and opens it on first use. An MCP client's handshake (initialize, tools/list)
// needs no store, so a server answers it before paying for the native SQLite module; the JSON
// backend's lowdb is loaded only when asked for.

import type { Store, StorageBackend } from './store.js';

export async function openStore(backend: StorageBackend, file: string): Promise<Store> {
  if (backend === 'json') {
    const { openJsonStore } = await import('./json.js');
    return openJsonStore(file);
  }
  const { openSqliteStore } = await import('./sqlite.js');
  return openSqliteStore(file);
}

/** A Store that opens the real one on its first transaction; a failed open is retried next time. */
export function openStoreLazily(backend: StorageBackend, file: string): Store {
  let opening: Promise<Store> | undefined;
  let opened: Store | undefined;
  const store = () => {
    opening ??= openStore(backend, file).then(
      (real) => (opened = real),
      (error: unknown) => {
        opening = undefined;
        throw error;
      },
    );
    return opening;
  };
  return {
    backend,
    location: file,
    write: async (project, fn) => (await store()).write(project, fn),
    read: async (project, fn) => (await store()).read(project, fn),
    close: () => opened?.close(),
  };
}
