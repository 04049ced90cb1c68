/**
 * Runs a pass pipeline over a module: func-anchored passes run on every `func.func`, the verifier
 * runs after each pass, and instrumentation prints IR and times passes. Failures come back as
 * diagnostics (never raw stack traces).
 */
import { type Diagnostic, DiagnosticError, type DiagnosticHandler, errorDiag } from '../ir/diagnostic.js';
import type { Operation } from '../ir/operation.js';
import { verify } from '../ir/verify.js';
import { PassContext, type PassDef, type PassResult } from './pass.js';
import { type PassInstance, makePassInstance, parsePipeline, printPipeline } from './pipeline-syntax.js';
import { getPass, unknownPassMessage } from './registry.js';
import { type PassTiming, formatTimingReport } from './timing.js';

/** Pass manager options (all optional). */
export interface PassManagerOptions {
  /** Verify after every pass (default true). */
  readonly verifyEach?: boolean;
  /** Let the verifier accept unregistered ops. */
  readonly allowUnregistered?: boolean;
  readonly printIrAfterAll?: boolean;
  /** Print after a pass only when it changed the IR. */
  readonly printIrAfterChange?: boolean;
  /** Pass names to print the IR before. */
  readonly printIrBefore?: readonly string[];
  /** Pass names to print the IR after. */
  readonly printIrAfter?: readonly string[];
  /** Log a per-pass wall-time report at the end of `run`. */
  readonly timing?: boolean;
  /** Prints IR for instrumentation (required for IR printing). */
  readonly print?: (op: Operation) => string;
  /** Where instrumentation output goes (default: stderr). */
  readonly log?: (text: string) => void;
  /** Services for passes (`PassContext.flags`). */
  readonly flags?: Record<string, unknown>;
  /** Also receives every diagnostic as it is emitted. */
  readonly onDiagnostic?: DiagnosticHandler;
}

/** The outcome of `PassManager.run`. */
export interface PassRunResult {
  readonly ok: boolean;
  readonly diagnostics: Diagnostic[];
  readonly timings: PassTiming[];
  /** Whether any pass reported (or may have made) a change. */
  readonly changed: boolean;
}

/** An ordered list of configured passes. */
export class PassManager {
  readonly passes: PassInstance[] = [];
  constructor(readonly opts: PassManagerOptions = {}) {}

  /** Parses a pipeline (either syntax); throws PipelineSyntaxError. */
  static fromPipeline(text: string, opts: PassManagerOptions = {}): PassManager {
    const pm = new PassManager(opts);
    pm.passes.push(...parsePipeline(text));
    return pm;
  }
  /** Appends a pass by definition or registered name, with JS option values. */
  addPass(pass: PassDef | string, options: Readonly<Record<string, unknown>> = {}): this {
    const def = typeof pass === 'string' ? getPass(pass) : pass;
    if (!def) throw new Error(unknownPassMessage(pass as string));
    this.passes.push(makePassInstance(def, options));
    return this;
  }
  /** The pipeline in canonical text. */
  toString(form: 'flat' | 'mlir' = 'flat'): string {
    return printPipeline(this.passes, form);
  }

  /** Runs every pass on `root` (a `builtin.module`, or a `func.func` for func-only pipelines). */
  run(root: Operation): PassRunResult {
    const o = this.opts;
    const diagnostics: Diagnostic[] = [];
    const handler: DiagnosticHandler = (d) => {
      diagnostics.push(d);
      o.onDiagnostic?.(d);
    };
    const log = o.log ?? ((t: string) => void process.stderr.write(t.endsWith('\n') ? t : `${t}\n`));
    const timings: PassTiming[] = [];
    const verifierTime: PassTiming = { name: 'verifier', wallMs: 0, runs: 0 };
    const t0 = performance.now();
    let ok = true;
    let anyChange = false;
    const dump = (when: string, name: string): void => {
      if (!o.print) throw new Error('IR printing requested but no `print` function was given');
      log(`// ----- IR ${when} '${name}' ----- //\n${o.print(root)}`);
    };
    for (const inst of this.passes) {
      const name = inst.pass.name;
      if (o.printIrBefore?.includes(name)) dump('before', name);
      const wantChange = o.printIrAfterChange && !o.printIrAfterAll && !o.printIrAfter?.includes(name);
      const before = wantChange && o.print ? o.print(root) : undefined;
      const timing: PassTiming = { name, wallMs: 0, runs: 0 };
      timings.push(timing);
      const start = performance.now();
      const r = this.runOne(inst, root, handler, timing);
      timing.wallMs += performance.now() - start;
      if (r.changed !== false) anyChange = true;
      if (!r.ok) {
        ok = false;
        break;
      }
      if (o.verifyEach !== false) {
        const vs = performance.now();
        const errs = verify(root, { allowUnregistered: o.allowUnregistered });
        verifierTime.wallMs += performance.now() - vs;
        verifierTime.runs++;
        if (errs.length > 0) {
          for (const d of errs) handler(d);
          handler(errorDiag(root.loc, `verification failed after pass '${name}'`));
          ok = false;
          break;
        }
      }
      const changed = r.changed ?? (before === undefined || before !== o.print?.(root));
      if (o.printIrAfterAll || o.printIrAfter?.includes(name) || (o.printIrAfterChange && changed))
        dump('after', name);
    }
    if (verifierTime.runs > 0) timings.push(verifierTime);
    if (o.timing) log(formatTimingReport(timings, performance.now() - t0));
    return { ok, diagnostics, timings, changed: anyChange };
  }

  /** Runs one pass on its anchor ops; `changed` undefined = unknown. */
  private runOne(
    inst: PassInstance,
    root: Operation,
    handler: DiagnosticHandler,
    timing: PassTiming,
  ): { ok: boolean; changed: boolean | undefined } {
    const name = inst.pass.name;
    const anchors = anchorOps(root, inst.pass.anchor);
    if (anchors === undefined) {
      handler(errorDiag(root.loc, `pass '${name}' runs on '${inst.pass.anchor}', not on '${root.name}'`));
      return { ok: false, changed: false };
    }
    let changed: boolean | undefined = false;
    for (const op of anchors) {
      const ctx = new PassContext(name, handler, this.opts.flags ?? {});
      timing.runs++;
      let r: PassResult;
      try {
        r = inst.pass.run(op, ctx, inst.options);
      } catch (e) {
        if (e instanceof DiagnosticError) for (const d of e.diagnostics) handler(d);
        else handler(errorDiag(op.loc, `internal error in pass '${name}': ${e instanceof Error ? e.message : String(e)}`));
        return { ok: false, changed: undefined };
      }
      if (r === undefined) changed = changed === true ? true : undefined;
      else if (r.changed) changed = true;
      if (ctx.failed) {
        if (!ctx.emittedError) handler(errorDiag(op.loc, `pass '${name}' failed`));
        return { ok: false, changed };
      }
    }
    return { ok: true, changed };
  }
}

/** The ops a pass anchored on `anchor` runs on under `root`, or undefined when it cannot run. */
function anchorOps(root: Operation, anchor: PassDef['anchor']): Operation[] | undefined {
  if (root.name === anchor) return [root];
  if (anchor === 'func.func' && root.name === 'builtin.module') {
    const body = root.regions[0]?.blocks[0];
    return body ? body.opsArray().filter((o) => o.name === 'func.func' && o.regions[0]!.blocks.length > 0) : [];
  }
  return undefined;
}
