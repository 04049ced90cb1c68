/**
 * A small POSIX-shell-like parser for lit RUN lines: words with single/double quotes and backslash
 * escapes, pipelines (`|`), command lists (`&&`, `||`, `;`), redirections (`<`, `>`, `>>`, `2>`,
 * `2>>`, `2>&1`, `>&2`, `&>`) and leading `VAR=value` environment assignments.
 */

/** A redirection attached to a command. */
export type Redirect =
  | { readonly kind: 'in'; readonly path: string }
  | { readonly kind: 'out'; readonly fd: 1 | 2; readonly path: string; readonly append: boolean }
  | { readonly kind: 'dup'; readonly fd: 1 | 2; readonly to: 1 | 2 }
  | { readonly kind: 'both'; readonly path: string; readonly append: boolean };

/** One simple command: argv, environment assignments and redirections (in source order). */
export interface ShCommand {
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly redirects: Redirect[];
}

/** Commands connected by pipes. */
export interface ShPipeline {
  readonly commands: ShCommand[];
}

/** Pipelines joined by `&&`, `||` or `;` (left-associative, equal precedence, as in sh). */
export interface ShList {
  readonly first: ShPipeline;
  readonly rest: { readonly op: '&&' | '||' | ';'; readonly pipeline: ShPipeline }[];
}

/** Error in RUN-line syntax. */
export class ShellSyntaxError extends Error {}

/** A lexical token of a RUN line: a word (after quote removal) or an operator. */
export type Token =
  | { readonly t: 'word'; readonly v: string; readonly assignable: boolean }
  | { readonly t: 'op'; readonly v: string };

const OPS = ['2>&1', '1>&2', '2>>', '&&', '||', '>>', '>&2', '&>', '2>', '1>', '|', ';', '<', '>'];

/** Splits a command line into words and operators, applying quote removal. */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const op = OPS.find((o) => line.startsWith(o, i));
    if (op) {
      tokens.push({ t: 'op', v: op });
      i += op.length;
      continue;
    }
    if (c === '&') throw new ShellSyntaxError(`unsupported shell operator '&' in: ${line}`);
    // A word: runs until unquoted whitespace or an operator character.
    let word = '';
    let quoted = false;
    while (i < n) {
      const ch = line[i] ?? '';
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '|' || ch === ';' || ch === '<' || ch === '>') break;
      if (ch === '&' && (line[i + 1] === '&' || line[i + 1] === '>')) break;
      if (ch === "'") {
        const end = line.indexOf("'", i + 1);
        if (end === -1) throw new ShellSyntaxError(`unterminated single quote in: ${line}`);
        word += line.slice(i + 1, end);
        quoted = true;
        i = end + 1;
        continue;
      }
      if (ch === '"') {
        i++;
        quoted = true;
        let closed = false;
        while (i < n) {
          const d = line[i] ?? '';
          if (d === '"') {
            closed = true;
            i++;
            break;
          }
          if (d === '\\' && i + 1 < n && '"\\$`\n'.includes(line[i + 1] ?? '')) {
            word += line[i + 1];
            i += 2;
            continue;
          }
          word += d;
          i++;
        }
        if (!closed) throw new ShellSyntaxError(`unterminated double quote in: ${line}`);
        continue;
      }
      if (ch === '\\') {
        if (i + 1 < n) word += line[i + 1];
        i += 2;
        quoted = true;
        continue;
      }
      word += ch;
      i++;
    }
    // "2>" style fd redirections written right after a digit word are handled by OPS; a bare
    // digit word followed by '>' (e.g. "3>") is not supported.
    tokens.push({ t: 'word', v: word, assignable: !quoted || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word) });
  }
  return tokens;
}

/** Parses a RUN command line into a command list. */
export function parseShell(line: string): ShList {
  const tokens = tokenize(line);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];

  const parseCommand = (): ShCommand => {
    const argv: string[] = [];
    const env: Record<string, string> = {};
    const redirects: Redirect[] = [];
    for (;;) {
      const tok = peek();
      if (!tok) break;
      if (tok.t === 'op') {
        if (tok.v === '|' || tok.v === '&&' || tok.v === '||' || tok.v === ';') break;
        pos++;
        if (tok.v === '2>&1') {
          redirects.push({ kind: 'dup', fd: 2, to: 1 });
          continue;
        }
        if (tok.v === '>&2' || tok.v === '1>&2') {
          redirects.push({ kind: 'dup', fd: 1, to: 2 });
          continue;
        }
        const target = peek();
        if (!target || target.t !== 'word') throw new ShellSyntaxError(`missing file name after '${tok.v}' in: ${line}`);
        pos++;
        const path = target.v;
        switch (tok.v) {
          case '<':
            redirects.push({ kind: 'in', path });
            break;
          case '>':
          case '1>':
            redirects.push({ kind: 'out', fd: 1, path, append: false });
            break;
          case '>>':
            redirects.push({ kind: 'out', fd: 1, path, append: true });
            break;
          case '2>':
            redirects.push({ kind: 'out', fd: 2, path, append: false });
            break;
          case '2>>':
            redirects.push({ kind: 'out', fd: 2, path, append: true });
            break;
          case '&>':
            redirects.push({ kind: 'both', path, append: false });
            break;
          default:
            throw new ShellSyntaxError(`unsupported redirection '${tok.v}' in: ${line}`);
        }
        continue;
      }
      pos++;
      const eq = tok.v.indexOf('=');
      if (argv.length === 0 && tok.assignable && eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(tok.v.slice(0, eq))) {
        env[tok.v.slice(0, eq)] = tok.v.slice(eq + 1);
        continue;
      }
      argv.push(tok.v);
    }
    if (argv.length === 0) throw new ShellSyntaxError(`empty command in: ${line}`);
    return { argv, env, redirects };
  };

  const parsePipeline = (): ShPipeline => {
    const commands = [parseCommand()];
    while (peek()?.t === 'op' && peek()?.v === '|') {
      pos++;
      commands.push(parseCommand());
    }
    return { commands };
  };

  if (tokens.length === 0) throw new ShellSyntaxError('empty RUN line');
  const first = parsePipeline();
  const rest: ShList['rest'] = [];
  for (;;) {
    const tok = peek();
    if (!tok) break;
    if (tok.t !== 'op' || (tok.v !== '&&' && tok.v !== '||' && tok.v !== ';')) {
      throw new ShellSyntaxError(`unexpected '${tok.v}' in: ${line}`);
    }
    pos++;
    if (!peek() && tok.v === ';') break; // trailing ';'
    rest.push({ op: tok.v, pipeline: parsePipeline() });
  }
  return { first, rest };
}

/** Quotes an argument for display in logs (only when needed). */
export function quoteArg(a: string): string {
  if (a.length > 0 && /^[A-Za-z0-9_@%+=:,./-]+$/.test(a)) return a;
  return "'" + a.replace(/'/g, `'\\''`) + "'";
}
