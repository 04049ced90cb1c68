/**
 * The verifier: structural checks (operand/result/attribute/region counts against the op's
 * declaration, terminators, use-before-def and visibility across regions) followed by each op's own
 * `verify`. Returns MLIR-style diagnostics; never throws on malformed IR.
 */
import type { Attribute } from './attribute.js';
import type { Block } from './block.js';
import { type Diagnostic, errorDiag } from './diagnostic.js';
import type { AttrSpec, OpDef } from './op-def.js';
import type { Operation } from './operation.js';
import { getDialect, getOpDef } from './registry.js';
import type { Value } from './value.js';
import { walkPreOrder } from './walk.js';

/** Verifier options. */
export interface VerifyOptions {
  /** Accept ops of unregistered dialects (like mlir-opt --allow-unregistered-dialect). */
  readonly allowUnregistered?: boolean;
  /** Stop after this many errors (default 50). */
  readonly maxErrors?: number;
}

function attrMatches(spec: AttrSpec, a: Attribute): string | undefined {
  switch (spec.kind) {
    case 'any':
      return undefined;
    case 'int':
      return a.kind === 'integer' ? undefined : 'an integer attribute';
    case 'float':
      return a.kind === 'float' ? undefined : 'a float attribute';
    case 'bool':
      return a.kind === 'bool' ? undefined : 'a bool attribute';
    case 'string':
      return a.kind === 'string' ? undefined : 'a string attribute';
    case 'enum':
      if (a.kind !== 'string') return `one of ${spec.values?.map((v) => `"${v}"`).join(', ')}`;
      return !spec.values || spec.values.includes(a.value)
        ? undefined
        : `one of ${spec.values.map((v) => `"${v}"`).join(', ')}`;
    case 'array':
      return a.kind === 'array' ? undefined : 'an array attribute';
    case 'int_array':
      return a.kind === 'array' && a.elements.every((e) => e.kind === 'integer')
        ? undefined
        : 'an array of integers';
    case 'dense':
      return a.kind === 'dense' ? undefined : 'a dense elements attribute';
    case 'type':
      return a.kind === 'type' ? undefined : 'a type attribute';
    case 'symbol':
      return a.kind === 'symbol_ref' ? undefined : 'a symbol reference';
    case 'unit':
      return a.kind === 'unit' ? undefined : 'a unit attribute';
    case 'dict':
      return a.kind === 'dictionary' ? undefined : 'a dictionary attribute';
  }
}

/** Checks an op against its declaration; returns a message or undefined. */
function checkAgainstDef(op: Operation, def: OpDef): string | undefined {
  const variadicOperands = def.operands.filter((o) => o.variadic).length;
  const fixedOperands = def.operands.length - variadicOperands;
  if (variadicOperands === 0 ? op.operands.length !== fixedOperands : op.operands.length < fixedOperands)
    return `requires ${variadicOperands ? 'at least ' : ''}${fixedOperands} operand${fixedOperands === 1 ? '' : 's'}, but found ${op.operands.length}`;
  const variadicResults = def.results.filter((r) => r.variadic).length;
  const fixedResults = def.results.length - variadicResults;
  if (variadicResults === 0 ? op.results.length !== fixedResults : op.results.length < fixedResults)
    return `requires ${variadicResults ? 'at least ' : ''}${fixedResults} result${fixedResults === 1 ? '' : 's'}, but found ${op.results.length}`;
  if (variadicOperands === 0) {
    for (let i = 0; i < def.operands.length; i++) {
      const spec = def.operands[i]!;
      const v = op.operands[i]!.value;
      if (v.type.kind === 'none' && !spec.optional) return `operand #${i} ('${spec.name}') must not be none`;
    }
  }
  const allowed = typeof def.regions === 'number' || def.regions === undefined ? [def.regions ?? 0] : def.regions;
  if (!allowed.includes(op.regions.length)) {
    const want = allowed.join(' or ');
    return `requires ${want} region${want === '1' ? '' : 's'}, but found ${op.regions.length}`;
  }
  for (const [name, spec] of Object.entries(def.attrs)) {
    const a = op.attr(name);
    if (a === undefined) {
      if (!spec.optional && spec.default === undefined) return `requires attribute '${name}'`;
      continue;
    }
    const want = attrMatches(spec, a);
    if (want) return `attribute '${name}' failed to satisfy constraint: ${want}`;
  }
  return undefined;
}

/** Whether `v` may be used by `user`: defined earlier in the same block or in an enclosing block. */
function isVisible(v: Value, user: Operation): boolean {
  const defBlock: Block | undefined = v.parentBlock;
  if (!defBlock) return false;
  let op: Operation | undefined = user;
  while (op) {
    const b: Block | null = op.parent;
    if (!b) return false;
    if (b === defBlock) {
      if (v.kind === 'argument') return true;
      const def = v.definingOp!;
      return def !== op && b.isBefore(def, op);
    }
    // Another block of the same region: the entry block dominates the others.
    if (b.parent && b.parent === defBlock.parent && b.parent.blocks[0] === defBlock) return true;
    const parentOp: Operation | undefined = b.parentOp;
    if (parentOp && getOpDef(parentOp.name)?.traits.includes('IsolatedFromAbove')) return false;
    op = parentOp;
  }
  return false;
}

/** Verifies `root` and everything nested in it. */
export function verify(root: Operation, opts: VerifyOptions = {}): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const max = opts.maxErrors ?? 50;
  const report = (op: Operation, message: string): void => {
    diags.push(errorDiag(op.loc, `'${op.name}' op ${message}`));
  };
  for (const op of walkPreOrder(root)) {
    if (diags.length >= max) break;
    const def = getOpDef(op.name);
    if (!def) {
      const dialect = getDialect(op.dialect);
      if (!opts.allowUnregistered && !(dialect?.allowUnknownOps ?? false)) {
        diags.push(
          errorDiag(
            op.loc,
            dialect
              ? `unregistered operation '${op.name}' found in dialect ('${op.dialect}') that does not allow unknown operations`
              : `operation being parsed with an unregistered dialect ('${op.dialect}'); use --allow-unregistered-dialect`,
          ),
        );
        continue;
      }
    } else {
      const msg = checkAgainstDef(op, def);
      if (msg) {
        report(op, msg);
        continue;
      }
    }
    let bad = false;
    for (const o of op.operands) {
      if (!isVisible(o.value, op)) {
        report(op, `operand #${o.index} does not dominate this use`);
        bad = true;
        break;
      }
    }
    if (bad) continue;
    // Terminators: last op of each block of a region that needs one.
    if (def?.traits.includes('Terminator')) {
      if (op.parent && op.parent.last !== op) {
        report(op, 'must be the last operation in the parent block');
        continue;
      }
    }
    for (const r of op.regions) {
      for (const b of r.blocks) {
        if (def?.traits.includes('NoTerminator')) continue;
        const last = b.last;
        if (!last) {
          report(op, 'expects a non-empty block in its region');
          bad = true;
          break;
        }
        const lastDef = getOpDef(last.name);
        if (lastDef && !lastDef.traits.includes('Terminator')) {
          diags.push(errorDiag(last.loc, `block with no terminator, has '${last.name}'`));
          bad = true;
          break;
        }
      }
      if (bad) break;
    }
    if (bad || !def?.verify) continue;
    let msg: string | undefined;
    try {
      msg = def.verify(op);
    } catch (e) {
      msg = `verifier failed: ${(e as Error).message}`;
    }
    if (msg) report(op, msg);
  }
  return diags;
}
