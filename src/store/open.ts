// Chooses the backend. The JSON backend is loaded only when asked for, so the default start-up never
// pays for lowdb.

import type { Store, StorageBackend } from './store.js';

export async function openStore(backend: StorageBackend, file: string): Promise<Store> {
  if (backend === 'json') {
    const { openJsonStore } = await import('./json.js');
    return openJsonStore(file);
  }
  const { openSqliteStore } = await import('./sqlite.js');
  return openSqliteStore(file);
}
