/**
 * `--split-input-file`: splits a source on lines of `// -----` into chunks that are processed
 * independently, each remembering the line it starts on so diagnostics keep real line numbers.
 */

/** A chunk of a split input. */
export interface InputChunk {
  readonly text: string;
  /** 1-based line number of the chunk's first line in the whole file. */
  readonly firstLine: number;
}

/** Splits on `// -----` lines (the marker line itself belongs to no chunk). */
export function splitInput(text: string, marker = '// -----'): InputChunk[] {
  const lines = text.split('\n');
  const chunks: InputChunk[] = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || lines[i]!.trim() === marker) {
      chunks.push({ text: lines.slice(start, i).join('\n'), firstLine: start + 1 });
      start = i + 1;
    }
  }
  return chunks;
}
