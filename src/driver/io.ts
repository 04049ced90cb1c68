/**
 * The driver's window on the world: stdin/stdout/stderr and files, so `runQopt` runs the same in a
 * terminal, in tests and in the in-process lit runner. File writes are atomic (temp file + rename):
 * a failed run never leaves a partial output.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** What the driver may do outside itself. */
export interface QoptIO {
  /** All of standard input. */
  readStdin(): Promise<Uint8Array>;
  /** A file's bytes; throws with a message naming the file. */
  readFile(path: string): Uint8Array;
  /** Writes a whole file atomically. */
  writeFile(path: string, data: Uint8Array | string): void;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bars). */
  readonly isTTY: boolean;
  /** Working directory for relative paths. */
  readonly cwd: string;
}

/** Writes via a temporary file in the same directory, then renames it into place. */
export function atomicWrite(path: string, data: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

/** The process's real IO. */
export function nodeIO(): QoptIO {
  return {
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
    readFile(path) {
      return new Uint8Array(readFileSync(path));
    },
    writeFile: atomicWrite,
    stdout(text) {
      process.stdout.write(text);
    },
    stderr(text) {
      process.stderr.write(text);
    },
    isTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
}

/** An in-memory IO for tests and in-process tools: files go through the real file system. */
export function memoryIO(stdin: string | Uint8Array = '', cwd = process.cwd()): QoptIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    async readStdin() {
      return typeof stdin === 'string' ? new TextEncoder().encode(stdin) : stdin;
    },
    readFile(path: string) {
      return new Uint8Array(readFileSync(path.startsWith('/') ? path : join(cwd, path)));
    },
    writeFile(path: string, data: Uint8Array | string) {
      atomicWrite(path.startsWith('/') ? path : join(cwd, path), data);
    },
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
    isTTY: false,
    cwd,
  };
  return io;
}
