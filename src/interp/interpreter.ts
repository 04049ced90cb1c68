/**
 * The interpreter engine: compiles a function into a plan (op order, kernels prepared once with
 * their constants precomputed, an arena placed by liveness, persistent variable tensors) and runs
 * it. Dialect-agnostic: kernels come from a registry keyed by op name.
 */
import type { Attribute } from '../ir/attribute.js';
import { DiagnosticError, errorDiag } from '../ir/diagnostic.js';
import { type Location, describeLoc, fileLoc, locName } from '../ir/location.js';
import type { Operation } from '../ir/operation.js';
import { getOpDef } from '../ir/registry.js';
import { inferResultShapes, needsShape, refineType } from '../ir/shape-inference.js';
import { elementType } from '../ir/type.js';
import type { Value } from '../ir/value.js';
import {
  type AttrValue,
  type DType,
  type KernelDef,
  type KernelFlavour,
  type KernelFn,
  type RuntimeServices,
  KernelError,
  type Tensor,
  type TensorInfo,
  type TypedArray,
  allocTyped,
  dtypeBytes,
  numElements,
  viewTyped,
} from './kernel.js';
import { IS_VARIABLE_ATTR, importTflite, isTfliteModel } from '../flatbuffer/import.js';
import { parseSource } from '../syntax/parser.js';
import { verify } from '../ir/verify.js';
import { registeredKernels } from './kernel-registry.js';
import { readFileSync } from 'node:fs';
import { planMemory } from './memory-plan.js';
import { denseToTyped, dtypeOf, quantOf, shapeAndElement } from './tensor-info.js';

/** Kernels by op name. */
export type KernelRegistry = ReadonlyMap<string, KernelDef>;

/** Interpreter options. */
export interface InterpreterOptions {
  /** Runtime services shared with a parent interpreter (functions called by CALL_ONCE). */
  readonly runtime?: RuntimeServices;
  readonly kernels: KernelRegistry;
  readonly flavour?: KernelFlavour;
  /** Give every tensor its own buffer so all can be read after a run (for dumps and comparisons). */
  readonly keepAllTensors?: boolean;
}

interface Slot {
  readonly value: Value;
  readonly info: TensorInfo;
  tensor: Tensor | undefined;
  /** Initial contents of variables (restored by reset). */
  initial?: TypedArray;
  readonly kind: 'input' | 'const' | 'variable' | 'temp' | 'none';
}

interface Step {
  readonly op: Operation;
  readonly run: KernelFn;
  readonly ins: (Slot | undefined)[];
  readonly outs: Slot[];
}

/**
 * A step as the run loop sees it: the kernel and its operand/result tensors, resolved once when
 * the interpreter is built (arena views, constants and variables never move afterwards), so that a
 * run allocates nothing.
 */
interface CompiledStep {
  readonly run: KernelFn;
  readonly ins: readonly (Tensor | undefined)[];
  readonly outs: readonly Tensor[];
}

function attrToValue(a: Attribute): AttrValue | undefined {
  switch (a.kind) {
    case 'integer':
      return a.value;
    case 'float':
      return a.value;
    case 'bool':
      return a.value;
    case 'string':
      return a.value;
    case 'array':
      if (a.elements.every((e) => e.kind === 'integer' || e.kind === 'float'))
        return a.elements.map((e) => Number((e as { value: number | bigint }).value));
      if (a.elements.every((e) => e.kind === 'string')) return a.elements.map((e) => (e as { value: string }).value);
      return undefined;
    case 'unit':
      return true;
    case 'symbol_ref':
      return a.root;
    default:
      return undefined;
  }
}

function valueName(v: Value, fallback: string): string {
  const loc = v.definingOp ? v.definingOp.loc : (v as unknown as { loc: Location }).loc;
  return locName(loc) ?? fallback;
}

function constantValue(v: Value): Attribute | undefined {
  const def = v.definingOp;
  if (!def) return undefined;
  if (!(getOpDef(def.name)?.traits.includes('ConstantLike') ?? false)) return undefined;
  const a = def.attr('value');
  return a?.kind === 'dense' ? a : undefined;
}

/** Options of {@link Interpreter.fromFile} and friends: kernels default to the registered ones. */
export interface LoadOptions extends Omit<InterpreterOptions, 'kernels' | 'runtime'> {
  readonly kernels?: KernelRegistry;
  /** The function to run (default `main`, else the module's first function). */
  readonly entry?: string;
}

/** The `func.func` named `entry` in `module` (default: `main`, else the first function). */
function findEntry(module: Operation, entry: string | undefined): Operation {
  const funcs = [...(module.regions[0]?.blocks[0]?.ops() ?? [])].filter((op) => op.name === 'func.func');
  const named = (n: string): Operation | undefined =>
    funcs.find((f) => {
      const a = f.attr('sym_name');
      return a?.kind === 'string' && a.value === n;
    });
  const f = entry !== undefined ? named(entry) : (named('main') ?? funcs[0]);
  if (!f) throw new DiagnosticError([errorDiag(module.loc, entry !== undefined ? `no function @${entry} to run` : 'the module has no function to run')]);
  return f;
}

/** A prepared, runnable function. */
export class Interpreter {
  /** Prepares the entry function of a module (`builtin.module` with `func.func`s). */
  static fromModule(module: Operation, opts: LoadOptions = {}): Interpreter {
    const diags = verify(module);
    if (diags.length) throw new DiagnosticError(diags);
    const { entry, kernels, ...rest } = opts;
    return new Interpreter(findEntry(module, entry), { ...rest, kernels: kernels ?? registeredKernels() });
  }

  /** Prepares a model from `.tflite` bytes, or MLIR text bytes; `file` names it in diagnostics. */
  static fromBytes(bytes: Uint8Array, opts: LoadOptions = {}, file = 'model.tflite'): Interpreter {
    // MLIR text has no NUL bytes; anything else that is not TFLite gets the importer's error.
    const text = !isTfliteModel(bytes) && !file.endsWith('.tflite') && !bytes.includes(0);
    const module = text ? parseSource(new TextDecoder().decode(bytes), file) : importTflite(bytes, file);
    return Interpreter.fromModule(module, opts);
  }

  /** Prepares a model from a `.tflite` (or `.mlir`) file. */
  static fromFile(path: string, opts: LoadOptions = {}): Interpreter {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new DiagnosticError([errorDiag(fileLoc(path, 0, 0), `could not open model: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)]);
    }
    return Interpreter.fromBytes(bytes, opts, path);
  }

  private readonly steps: Step[] = [];
  private readonly slots = new Map<Value, Slot>();
  private readonly inputSlots: Slot[] = [];
  private readonly outputValues: Value[] = [];
  /** The run loop's steps (built at the end of the constructor). */
  private readonly compiled: CompiledStep[];
  /** Input tensors, in order (buffers owned by the interpreter, written by `run`). */
  private readonly inputTensors: Tensor[];
  /** Output tensors, in order (live views: arena, constant or variable storage). */
  private readonly outputTensors: (Tensor | undefined)[];
  private readonly arena: ArrayBuffer;
  /** Bytes of the activation arena. */
  readonly arenaBytes: number;
  /** The largest total of simultaneously live activation tensors (the arena's lower bound). */
  readonly arenaLowerBound: number;

  /** Prepares `func` (a `func.func` op). Throws DiagnosticError naming the op on unsupported kernels. */
  constructor(
    readonly func: Operation,
    private readonly opts: InterpreterOptions,
  ) {
    const body = func.regions[0]?.blocks[0];
    if (!body) throw new DiagnosticError([errorDiag(func.loc, 'cannot interpret a function without a body')]);
    const flavour = opts.flavour ?? 'tflite';
    this.runtime = opts.runtime ?? this.makeRuntime();
    body.args.forEach((a, i) => {
      const s = this.makeSlot(a, `arg${i}`, 'input');
      this.inputSlots.push(s);
    });
    const temps: Slot[] = [];
    const first = new Map<Slot, number>();
    const last = new Map<Slot, number>();
    let index = 0;
    for (const op of body.ops()) {
      if (op.name === 'func.return') {
        for (const o of op.operands) {
          this.outputValues.push(o.value);
          const s = this.slots.get(o.value);
          if (s) last.set(s, Number.MAX_SAFE_INTEGER);
        }
        continue;
      }
      const def = getOpDef(op.name);
      if (def?.traits.includes('ConstantLike') || (op.results.length > 0 && op.results.every((r) => r.type.kind === 'none'))) {
        for (const r of op.results) this.slotFor(r);
        continue;
      }
      const kernel = opts.kernels.get(op.name);
      if (!kernel) this.fail(op, `no kernel for '${op.name}' in the interpreter`);
      const stateful = new Set(def?.statefulOperands ?? []);
      const ins = op.operands.map((o, i) => {
        const s = this.slotFor(o.value, stateful.has(i));
        if (s && s.kind === 'temp') last.set(s, index);
        return s;
      });
      const shapes = this.resultShapes(op, ins);
      const outs = op.results.map((r, i) => {
        const s = this.makeSlot(r, `${op.name}#${i}`, 'temp', shapes?.[i]);
        temps.push(s);
        first.set(s, index);
        last.set(s, index);
        return s;
      });
      const attrs: Record<string, AttrValue | undefined> = {};
      for (const [k, v] of op.attributes) attrs[k] = attrToValue(v);
      for (const [k, spec] of Object.entries(def?.attrs ?? {}))
        if (attrs[k] === undefined && spec.default) attrs[k] = attrToValue(spec.default);
      let run: KernelFn;
      try {
        run = kernel.prepare({
          op: op.name,
          where: describeLoc(op.loc),
          inputs: ins.map((s) => s?.info),
          outputs: outs.map((s) => s.info),
          intermediates: intermediatesOf(op),
          attrs,
          flavour,
          runtime: this.runtime,
        });
      } catch (e) {
        // Kernels name their op ('tfl.svdf': ...); the diagnostic already says "'tfl.svdf' op".
        const message = e instanceof KernelError || e instanceof Error ? e.message : String(e);
        const named = `'${op.name}'`;
        this.fail(op, message.startsWith(named) ? message.slice(named.length).replace(/^:?\s*/, '') : message);
      }
      this.steps.push({ op, run, ins, outs });
      index++;
    }
    // Place temporaries in one arena by liveness.
    const lifetimes = temps.map((s) => ({
      bytes: numElements(s.info.shape) * dtypeBytes(s.info.dtype),
      first: first.get(s)!,
      last: opts.keepAllTensors ? Number.MAX_SAFE_INTEGER : last.get(s)!,
    }));
    const plan = planMemory(lifetimes);
    this.arenaBytes = plan.arenaBytes;
    this.arenaLowerBound = plan.lowerBound;
    this.arena = new ArrayBuffer(Math.max(16, plan.arenaBytes));
    temps.forEach((s, i) => {
      s.tensor = { dtype: s.info.dtype, shape: s.info.shape, data: viewTyped(s.info.dtype, this.arena, plan.offsets[i]!, numElements(s.info.shape)) };
    });
    // Resolve every step's tensors once; slots no longer change from here on.
    this.compiled = this.steps.map((st) => ({
      run: st.run,
      ins: st.ins.map((x) => x?.tensor),
      outs: st.outs.map((x) => x.tensor!),
    }));
    this.inputTensors = this.inputSlots.map((x) => x.tensor!);
    this.outputTensors = this.outputValues.map((v) => this.slots.get(v)?.tensor);
  }

  /** Resource variables and call-once state, shared with functions this one calls. */
  readonly runtime: RuntimeServices;
  private readonly onceDone = new Set<string>();
  private readonly handles = new Map<string, number>();
  private readonly callees = new Map<string, Interpreter>();

  private makeRuntime(): RuntimeServices {
    const variables = new Map<number, Tensor>();
    return {
      variables,
      handle: (name) => {
        let h = this.handles.get(name);
        if (h === undefined) this.handles.set(name, (h = this.handles.size + 1));
        return h;
      },
      callOnce: (symbol) => {
        if (this.onceDone.has(symbol)) return;
        this.onceDone.add(symbol);
        let callee = this.callees.get(symbol);
        if (!callee) {
          const module = this.func.parentOp;
          const target = module?.regions[0]?.blocks[0]?.opsArray().find((o) => o.name === 'func.func' && o.attr('sym_name')?.kind === 'string' && (o.attr('sym_name') as { value: string }).value === symbol);
          if (!target) throw new KernelError(`call_once: no function @${symbol} in the module`);
          callee = new Interpreter(target, { ...this.opts, runtime: this.runtime });
          this.callees.set(symbol, callee);
        }
        callee.invoke();
      },
    };
  }

  private fail(op: Operation, message: string): never {
    throw new DiagnosticError([errorDiag(op.loc, `'${op.name}' op ${message}`)]);
  }

  /**
   * Shapes for the results of `op` whose types have none (unranked, e.g. imported from a tensor
   * without a shape) or a dynamic dim, from the op's shape function applied to the operand shapes
   * resolved so far — what TFLite's Prepare does with ResizeTensor. An unranked result that cannot be
   * inferred is an error naming the op and the tensor; a result with dynamic dims that cannot be
   * inferred (or conflicts) keeps the static-shape rule of `shapeAndElement` (dynamic dims are 1).
   */
  private resultShapes(op: Operation, ins: readonly (Slot | undefined)[]): (readonly number[] | undefined)[] | undefined {
    if (!op.results.some((r) => needsShape(r.type))) return undefined;
    const inferred = inferResultShapes(op, ins.map((s) => s?.info.shape));
    return op.results.map((r, i) => {
      if (!needsShape(r.type)) return undefined;
      const unranked = r.type.kind === 'unranked_tensor';
      const cannot = (why: string): never => this.fail(op, `cannot infer the shape of result #${i} ('${valueName(r, `${op.name}#${i}`)}'): ${why}`);
      const shape = inferred === undefined || typeof inferred === 'string' ? undefined : inferred[i];
      if (!unranked && (!shape || shape.some((d) => d < 0))) return undefined;
      if (inferred === undefined) return cannot(`'${op.name}' has no shape function`);
      if (typeof inferred === 'string') return cannot(inferred);
      if (!shape || shape.some((d) => d < 0)) return cannot('its operands do not determine it');
      const t = refineType(r.type, shape);
      if (typeof t === 'string') return unranked ? cannot(t) : undefined;
      return shape;
    });
  }

  private makeSlot(v: Value, fallback: string, kind: Slot['kind'], inferred?: readonly number[]): Slot {
    if (v.type.kind === 'none') {
      const s: Slot = { value: v, info: { name: fallback, dtype: 'f32', shape: [] }, tensor: undefined, kind: 'none' };
      this.slots.set(v, s);
      return s;
    }
    if (v.type.kind === 'unranked_tensor' && !inferred)
      throw new DiagnosticError([errorDiag(this.func.loc, `value '${valueName(v, fallback)}' has no shape (unranked): the interpreter needs static shapes`)]);
    const { shape, element } = inferred ? { shape: [...inferred], element: elementType(v.type) } : shapeAndElement(v.type);
    const dtype = dtypeOf(element);
    const info: TensorInfo = { name: valueName(v, fallback), dtype, shape, quant: quantOf(element) };
    const s: Slot = { value: v, info, tensor: undefined, kind };
    if (kind === 'input') s.tensor = { dtype, shape, data: allocTyped(dtype, numElements(shape)) };
    this.slots.set(v, s);
    return s;
  }

  /** The slot of an operand: existing, or a constant/variable made now. */
  private slotFor(v: Value, variable = false): Slot | undefined {
    const existing = this.slots.get(v);
    if (existing) {
      if (variable && existing.kind === 'const') return this.promoteToVariable(existing);
      return existing.kind === 'none' ? undefined : existing;
    }
    if (v.type.kind === 'none') {
      this.makeSlot(v, 'none', 'none');
      return undefined;
    }
    const c = constantValue(v);
    const def = v.definingOp;
    // Constants flagged as variable tensors (TFLite's is_variable, kept by the importer) are state.
    if (def?.attr(IS_VARIABLE_ATTR) !== undefined) variable = true;
    const s = this.makeSlot(v, def ? def.name : 'value', 'const');
    const { shape, element } = shapeAndElement(v.type);
    const dtype = dtypeOf(element);
    const data = c?.kind === 'dense' ? denseToTyped(c, dtype) : allocTyped(dtype, numElements(shape));
    const withData: Slot = { ...s, info: { ...s.info, data }, tensor: { dtype, shape, data } };
    this.slots.set(v, withData);
    // The op that made the value a variable must get the variable slot itself: its state lives in
    // the variable's own copy, which reset() restores from `initial`.
    return variable ? this.promoteToVariable(withData) : withData;
  }

  /** Turns a constant slot into a variable one (own copy of the data) everywhere it is used; returns it. */
  private promoteToVariable(s: Slot): Slot {
    const data = s.tensor!.data;
    const copy = data.slice() as TypedArray;
    const v: Slot = { ...s, kind: 'variable', initial: data, info: { ...s.info, data: undefined, isVariable: true }, tensor: { dtype: s.info.dtype, shape: s.info.shape, data: copy } };
    this.slots.set(s.value, v);
    for (const step of this.steps) step.ins.forEach((x, i) => x === s && (step.ins[i] = v));
    return v;
  }

  /** Descriptions of the inputs, in order. */
  get inputs(): TensorInfo[] {
    return this.inputSlots.map((s) => s.info);
  }
  /** Descriptions of the outputs, in order. */
  get outputs(): TensorInfo[] {
    return this.outputValues.map((v) => this.slots.get(v)!.info);
  }

  /** Restores variable tensors (LSTM/SVDF state) to their initial values. */
  reset(): void {
    if (!this.opts.runtime) {
      this.runtime.variables.clear();
      this.onceDone.clear();
    }
    for (const s of this.slots.values())
      if (s.kind === 'variable' && s.initial && s.tensor) (s.tensor.data as { set(a: ArrayLike<number | bigint>): void }).set(s.initial as never);
  }

  /** Runs once. Inputs must match the input dtypes and element counts; outputs are copies. */
  run(inputs: readonly TypedArray[]): Tensor[] {
    if (inputs.length !== this.inputSlots.length)
      throw new DiagnosticError([errorDiag(this.func.loc, `expected ${this.inputSlots.length} inputs, got ${inputs.length}`)]);
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i]!;
      const s = this.inputSlots[i]!;
      const dst = this.inputTensors[i]!.data;
      if (x.length !== dst.length)
        throw new DiagnosticError([errorDiag(this.func.loc, `input ${i} ('${s.info.name}'): expected ${dst.length} elements of ${s.info.dtype}, got ${x.length}`)]);
      if (dtypeOfArray(x) !== dtypeOfArray(dst))
        throw new DiagnosticError([errorDiag(this.func.loc, `input ${i} ('${s.info.name}'): expected ${s.info.dtype} data`)]);
      (dst as { set(a: ArrayLike<number | bigint>): void }).set(x as never);
    }
    this.invoke();
    const outs = this.outputTensors;
    const result = new Array<Tensor>(outs.length);
    for (let i = 0; i < outs.length; i++) {
      const t = outs[i]!; // (a `none` result has no tensor: this throws, as before)
      result[i] = { dtype: t.dtype, shape: t.shape, data: t.data.slice() as TypedArray };
    }
    return result;
  }

  /**
   * Runs once on the current contents of the input tensors ({@link inputTensor}), leaving the
   * results in the output tensors ({@link outputTensor}): no checks, copies or allocation — the
   * equivalent of TFLite's `Invoke`.
   */
  invoke(): void {
    const steps = this.compiled;
    for (let i = 0; i < steps.length; i++) {
      const st = steps[i]!;
      st.run(st.ins, st.outs);
    }
  }

  /** The interpreter's own buffer for input `i`: write inputs here, then {@link invoke}. */
  inputTensor(i: number): Tensor {
    const t = this.inputTensors[i];
    if (!t) throw new RangeError(`no input ${i} (the function has ${this.inputTensors.length})`);
    return t;
  }

  /**
   * Output `i` as a live view (valid until the next invoke; it may share the arena with other
   * tensors). Copy it to keep it.
   */
  outputTensor(i: number): Tensor {
    const t = this.outputTensors[i];
    if (!t) throw new RangeError(`no output ${i} (the function has ${this.outputTensors.length})`);
    return t;
  }

  /** A tensor by name (location name) after a run; reliable for intermediates with `keepAllTensors`. */
  getTensor(name: string): Tensor | undefined {
    for (const s of this.slots.values()) if (s.info.name === name && s.tensor) return s.tensor;
    return undefined;
  }

  /** Every named tensor (value and its current contents) — for dumps and comparisons. */
  *tensors(): IterableIterator<{ value: Value; info: TensorInfo; tensor: Tensor }> {
    for (const s of this.slots.values()) if (s.tensor) yield { value: s.value, info: s.info, tensor: s.tensor };
  }
}

function dtypeOfArray(a: TypedArray): string {
  return a.constructor.name;
}

/** TFL's named LSTM intermediate attributes, in TFLite's operator-intermediates order. */
export const LSTM_INTERMEDIATE_ATTRS = [
  'input_to_input_intermediate',
  'input_to_forget_intermediate',
  'input_to_cell_intermediate',
  'input_to_output_intermediate',
  'effective_hidden_scale_intermediate',
] as const;

/** Intermediates of an op: TFL's named type attributes, or an `intermediates` array of types. */
function intermediatesOf(op: Operation): TensorInfo[] {
  const a = op.attr('intermediates');
  const types: Attribute[] =
    a?.kind === 'array'
      ? [...a.elements]
      : LSTM_INTERMEDIATE_ATTRS.map((n) => op.attr(n)).filter((x): x is Attribute => x !== undefined);
  const out: TensorInfo[] = [];
  types.forEach((e, i) => {
    if (e.kind !== 'type') return;
    const { shape, element } = shapeAndElement(e.value);
    out.push({ name: `${op.name}.intermediate${i}`, dtype: dtypeOf(element) as DType, shape, quant: quantOf(element) });
  });
  return out;
}
