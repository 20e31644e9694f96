import { fileURLToPath } from 'node:url';

/** Folders of the devstack; `.cache` (builds) and `.data` (stores, keys) are git-ignored. */
export const DEVSTACK_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const CACHE_DIR = process.env.DEVSTACK_CACHE_DIR ?? `${DEVSTACK_DIR}.cache`;
export const DATA_DIR = process.env.DEVSTACK_DATA_DIR ?? `${DEVSTACK_DIR}.data`;
