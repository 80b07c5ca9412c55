import { openStore, sqliteLocation, type OpenStore } from "../../src/adapters/store/open-store.js";

/**
 * The store a server with data directory `dataDir` uses, opened the way the server opens it: tests
 * outside test/store go through here, so a second backend changes this file, not each test.
 */
export function openTestStore(dataDir: string, options: { readonly clock?: { readonly now: () => number } } = {}): OpenStore {
  return openStore(sqliteLocation(dataDir), options);
}
