/**
 * Pass declarations: a CLI name, docs, the op kind it is anchored on, a typed option schema and a
 * `run` hook. A PassContext carries diagnostics, the failure flag and driver-provided services.
 */
import type { Diagnostic, DiagnosticHandler } from '../ir/diagnostic.js';
import type { Location } from '../ir/location.js';
import type { Operation } from '../ir/operation.js';

/** Ops a pass can be anchored on. */
export type PassAnchor = 'builtin.module' | 'func.func';

/** Kinds of pass option. */
export type OptionKind = 'int' | 'float' | 'bool' | 'string' | 'enum' | 'list';

/** Element kinds of a list option. */
export type ListElementKind = 'int' | 'float' | 'string';

/** The JS value of each option kind. */
export interface OptionKindValue {
  int: number;
  float: number;
  bool: boolean;
  string: string;
  enum: string;
  list: readonly (string | number)[];
}

/** Any option value. */
export type OptionValue = OptionKindValue[OptionKind];

/** One option of a pass. */
export interface OptionSpec<K extends OptionKind = OptionKind> {
  readonly kind: K;
  readonly default: OptionKindValue[K];
  readonly help: string;
  /** Allowed values of an `enum` option. */
  readonly values?: readonly string[];
  /** Element kind of a `list` option (default 'string'). */
  readonly of?: ListElementKind;
}

/** A pass's options by name (CLI spelling, e.g. `max-iterations`). */
export type OptionSchema = Readonly<Record<string, OptionSpec>>;

/** The resolved option values a pass receives. */
export type OptionValues<S extends OptionSchema> = {
  readonly [K in keyof S]: S[K] extends OptionSpec<infer T> ? OptionKindValue[T] : never;
};

/** Helpers that build typed option specs. */
export const opt = {
  int: (dflt: number, help: string): OptionSpec<'int'> => ({ kind: 'int', default: dflt, help }),
  float: (dflt: number, help: string): OptionSpec<'float'> => ({ kind: 'float', default: dflt, help }),
  bool: (dflt: boolean, help: string): OptionSpec<'bool'> => ({ kind: 'bool', default: dflt, help }),
  string: (dflt: string, help: string): OptionSpec<'string'> => ({ kind: 'string', default: dflt, help }),
  enum: (values: readonly string[], dflt: string, help: string): OptionSpec<'enum'> => ({
    kind: 'enum',
    default: dflt,
    help,
    values,
  }),
  list: (of: ListElementKind, dflt: readonly (string | number)[], help: string): OptionSpec<'list'> => ({
    kind: 'list',
    default: dflt,
    help,
    of,
  }),
};

/** What a pass run reports; `void` means "unknown" (treated as possibly changed). */
export type PassResult = { readonly changed: boolean } | void;

/** A pass declaration. */
export interface PassDef<S extends OptionSchema = OptionSchema> {
  /** CLI name (`--passes=name`). */
  readonly name: string;
  /** One line. */
  readonly summary: string;
  readonly description?: string;
  readonly anchor: PassAnchor;
  readonly options: S;
  /** Runs on one anchor op; report problems through `ctx`. */
  run(op: Operation, ctx: PassContext, options: OptionValues<S>): PassResult;
}

/** Declares a pass (freezes it; options keep their literal types). */
export function definePass<S extends OptionSchema>(def: PassDef<S>): PassDef<S> {
  return Object.freeze({ ...def, options: Object.freeze({ ...def.options }) as S });
}

/** Per-run services for a pass: diagnostics, failure and driver flags. */
export class PassContext {
  private failedFlag = false;
  private errorFlag = false;
  constructor(
    /** The pass being run. */
    readonly passName: string,
    private readonly handler: DiagnosticHandler,
    /** Driver-provided services (e.g. a calibration data path); read-only by convention. */
    readonly flags: Record<string, unknown> = {},
  ) {}
  /** Emits any diagnostic; an error also marks the pass as failed. */
  emit(d: Diagnostic): void {
    if (d.severity === 'error') this.failedFlag = this.errorFlag = true;
    this.handler(d);
  }
  /** Emits an error (and marks the pass as failed). */
  emitError(loc: Location, message: string, notes: Diagnostic[] = []): void {
    this.emit({ severity: 'error', loc, message, notes });
  }
  /** Emits a warning. */
  emitWarning(loc: Location, message: string, notes: Diagnostic[] = []): void {
    this.emit({ severity: 'warning', loc, message, notes });
  }
  /** Emits a remark. */
  emitRemark(loc: Location, message: string, notes: Diagnostic[] = []): void {
    this.emit({ severity: 'remark', loc, message, notes });
  }
  /** Marks the pass as failed (the pipeline stops after it). */
  signalFailure(): void {
    this.failedFlag = true;
  }
  /** Whether an error diagnostic was emitted. */
  get emittedError(): boolean {
    return this.errorFlag;
  }
  /** Whether the pass failed. */
  get failed(): boolean {
    return this.failedFlag;
  }
}
