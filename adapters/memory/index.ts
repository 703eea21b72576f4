/**
 * In-memory store and member directory: `cx-accounts/memory`.
 *
 * @module cx-accounts/memory
 */
export { memoryStore } from './memory-store.js';
export { memoryDirectory } from './memory-directory.js';
