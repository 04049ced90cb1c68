/**
 * The registry of dialects and op definitions that parsing, verification and canonicalization
 * consult. Dialects register once at startup (see `dialects/index.ts`).
 */
import type { Dialect, OpDef, Trait } from './op-def.js';

const dialects = new Map<string, Dialect>();
const ops = new Map<string, OpDef>();

/** Registers a dialect and its ops (idempotent for the same object). */
export function registerDialect(d: Dialect): void {
  const existing = dialects.get(d.name);
  if (existing === d) return;
  if (existing) throw new Error(`dialect '${d.name}' is already registered`);
  dialects.set(d.name, d);
  for (const op of d.ops) {
    if (ops.has(op.name)) throw new Error(`op '${op.name}' registered twice`);
    ops.set(op.name, op);
  }
}

/** The definition of an op name, if registered. */
export function getOpDef(name: string): OpDef | undefined {
  return ops.get(name);
}

/** A registered dialect. */
export function getDialect(name: string): Dialect | undefined {
  return dialects.get(name);
}

/** All registered dialects, sorted by name. */
export function allDialects(): Dialect[] {
  return [...dialects.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** All registered op definitions, sorted by name. */
export function allOpDefs(): OpDef[] {
  return [...ops.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Whether the named op has a trait (unregistered ops have none). */
export function opHasTrait(name: string, t: Trait): boolean {
  return ops.get(name)?.traits.includes(t) ?? false;
}
