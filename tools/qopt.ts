#!/usr/bin/env node
/**
 * The `qopt` executable: registers dialects, passes and kernels, then hands argv to the library
 * driver `runQopt` (as mlir-opt is a thin main over MlirOptMain).
 */
import { nodeIO } from '../src/driver/io.js';
import { runQopt } from '../src/driver/qopt-main.js';
import { registerAll } from './register.js';

registerAll();
process.exitCode = await runQopt(process.argv.slice(2), nodeIO());
