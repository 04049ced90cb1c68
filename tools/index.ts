/**
 * The package entry (`import … from 'qopt'`): the core API (IR, syntax, verifier, passes, pattern
 * driver, flatbuffer import/export, interpreter, driver) plus `registerAll` for the shipped dialects,
 * passes and kernels.
 */
export * from '../src/ir/type.js';
export * from '../src/ir/attribute.js';
export * from '../src/ir/location.js';
export * from '../src/ir/diagnostic.js';
export { Operation, type OperationState } from '../src/ir/operation.js';
export { Block } from '../src/ir/block.js';
export { Region } from '../src/ir/region.js';
export { Value, OpResult, BlockArgument, OpOperand } from '../src/ir/value.js';
export { Builder, type RewriteListener } from '../src/ir/builder.js';
export { defineOp, type OpDef, type Dialect, type Trait, type QuantSpec } from '../src/ir/op-def.js';
export { registerDialect, getOpDef, allOpDefs, allDialects } from '../src/ir/registry.js';
export { verify } from '../src/ir/verify.js';
export { walk, walkPreOrder, findOps } from '../src/ir/walk.js';
export { parseSource } from '../src/syntax/parser.js';
export { printOp, type PrintOptions } from '../src/syntax/printer.js';
export { opPattern, PatternSet, type RewritePattern } from '../src/rewrite/pattern.js';
export { applyPatternsGreedily } from '../src/rewrite/greedy.js';
export { definePass, type PassDef, PassContext } from '../src/pass/pass.js';
export { registerPass, registerPipelineAlias, getPass, allPasses } from '../src/pass/registry.js';
export { parsePipeline, printPipeline } from '../src/pass/pipeline-syntax.js';
export { PassManager, type PassManagerOptions, type PassRunResult } from '../src/pass/pass-manager.js';
export { importTflite, isTfliteModel } from '../src/flatbuffer/import.js';
export { exportTflite } from '../src/flatbuffer/export.js';
export { Interpreter, type InterpreterOptions } from '../src/interp/interpreter.js';
export { registeredKernels, registerKernels } from '../src/interp/kernel-registry.js';
export type { KernelDef, KernelContext, Tensor, TensorInfo, DType } from '../src/interp/kernel.js';
export { runQopt } from '../src/driver/qopt-main.js';
export { nodeIO, memoryIO, type QoptIO } from '../src/driver/io.js';
export { createModule, createFunc, moduleFuncs, findFunc, funcName } from '../dialects/builtin/index.js';
export { registerAll } from './register.js';
