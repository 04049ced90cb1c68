/**
 * The dialect-independent passes (canonicalize, cse, dce, symbol-dce) and their registration.
 */
import type { PassDef } from '../src/pass/pass.js';
import { registerPass } from '../src/pass/registry.js';
import { canonicalizePass } from './canonicalize.js';
import { csePass } from './cse.js';
import { dcePass } from './dce.js';
import { symbolDcePass } from './symbol-dce.js';

export { canonicalizePass, csePass, dcePass, symbolDcePass };

/** All generic passes. */
export const genericPasses: readonly PassDef[] = [canonicalizePass, csePass, dcePass, symbolDcePass] as readonly PassDef[];

/** Registers the generic passes (idempotent). */
export function registerGenericPasses(): void {
  for (const p of genericPasses) registerPass(p);
}
