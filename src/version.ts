/**
 * The versions the server reports, in a module of their own that imports
 * nothing, so that any layer (INFO in commands/, the ready line in server/,
 * the embedding API) can read them without importing the server.
 */

/** The Redis version whose behaviour mini-kv follows (INFO redis_version, HELLO version). */
export const VERSION = '7.0.15';
/** mini-kv's own version, beside the Redis version it is compatible with. */
export const MINIKV_VERSION = '0.1.0';
