/**
 * In-memory store and member directory: `cx-accounts/memory`.
 *
 * @module
 */
export { memoryStore } from './memory-store.js';
export { memoryDirectory } from './memory-directory.js';
