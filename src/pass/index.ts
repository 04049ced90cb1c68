/**
 * The pass infrastructure in one import: pass declarations, the registry, pipeline text and the
 * pass manager.
 */
export * from './pass.js';
export * from './registry.js';
export * from './pipeline-syntax.js';
export * from './pass-manager.js';
export * from './timing.js';
