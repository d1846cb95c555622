/**
 * Parley: the headless chat client. Everything public is re-exported here.
 * @packageDocumentation
 */
export * from './types.js';
export * from './errors.js';
export * from './events.js';
