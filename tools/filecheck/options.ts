/**
 * FileCheck options and the LLVM-style command line parser for them (`--check-prefix=X`,
 * `--check-prefixes=A,B`, `--input-file F`, `-D VAR=VAL`, `--implicit-check-not=PAT`, flags, ...).
 */

/** Options of one FileCheck run (all optional; defaults follow LLVM FileCheck). */
export interface FileCheckOptions {
  /** Check prefixes (default `['CHECK']`). */
  checkPrefixes?: string[];
  /** Comment prefixes (default `['COM', 'RUN']`). */
  commentPrefixes?: string[];
  /** Name of the input buffer in diagnostics (default `<stdin>`). */
  inputName?: string;
  matchFullLines?: boolean;
  strictWhitespace?: boolean;
  ignoreCase?: boolean;
  allowEmpty?: boolean;
  enableVarScope?: boolean;
  allowUnusedPrefixes?: boolean;
  /** Let the matches of one CHECK-DAG group overlap (LLVM's deprecated behaviour). */
  allowDeprecatedDagOverlap?: boolean;
  /** Patterns that must not occur anywhere between matches. */
  implicitCheckNot?: string[];
  /** Command-line variable definitions, `NAME=VALUE` or `#NAME=EXPR`. */
  defines?: string[];
  /** The command line echoed by the "is empty" error (default `filecheck <checkfile>`). */
  commandLine?: string;
}

/** Result of {@link parseFileCheckArgs}. */
export interface ParsedFileCheckArgs {
  /** The positional check-file argument. */
  checkFile: string | null;
  /** `--input-file` (null or `-` means stdin). */
  inputFile: string | null;
  options: FileCheckOptions;
  /** Usage errors; when non-empty the run must fail with status 2. */
  errors: string[];
  /** `--help` / `--version` was given. */
  help: boolean;
  version: boolean;
}

const BOOL_FLAGS: Record<string, keyof FileCheckOptions> = {
  'match-full-lines': 'matchFullLines',
  'strict-whitespace': 'strictWhitespace',
  'ignore-case': 'ignoreCase',
  'allow-empty': 'allowEmpty',
  'enable-var-scope': 'enableVarScope',
  'allow-unused-prefixes': 'allowUnusedPrefixes',
  'allow-deprecated-dag-overlap': 'allowDeprecatedDagOverlap',
};

/** Accepted for compatibility and ignored (those taking a value are marked true). */
const IGNORED: Record<string, boolean> = {
  'dump-input': true,
  'dump-input-filter': true,
  'dump-input-context': true,
  v: false,
  vv: false,
  color: false,
  diff: true,
};

/** Parses FileCheck's command line (without the program name). */
export function parseFileCheckArgs(argv: readonly string[]): ParsedFileCheckArgs {
  const options: FileCheckOptions = {};
  const res: ParsedFileCheckArgs = { checkFile: null, inputFile: null, options, errors: [], help: false, version: false };
  const list = (k: 'checkPrefixes' | 'commentPrefixes' | 'implicitCheckNot' | 'defines'): string[] => {
    const cur = options[k] ?? [];
    options[k] = cur;
    return cur;
  };
  let i = 0;
  let positionalOnly = false;
  const takeValue = (name: string, inline: string | undefined): string | null => {
    if (inline !== undefined) return inline;
    if (i + 1 < argv.length) {
      i++;
      return argv[i] ?? '';
    }
    res.errors.push(`filecheck: option '-${name}' requires a value`);
    return null;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (positionalOnly || !arg.startsWith('-') || arg === '-') {
      if (res.checkFile === null) res.checkFile = arg;
      else res.errors.push(`filecheck: Too many positional arguments specified! (extra: '${arg}')`);
      continue;
    }
    if (arg === '--') {
      positionalOnly = true;
      continue;
    }
    if (arg.startsWith('-D') && !arg.startsWith('--')) {
      const v = arg.length > 2 ? arg.slice(2) : takeValue('D', undefined);
      if (v !== null) list('defines').push(v);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq === -1 ? body : body.slice(0, eq);
    const inline = eq === -1 ? undefined : body.slice(eq + 1);
    const boolKey = BOOL_FLAGS[name];
    if (boolKey) {
      const on = inline === undefined || /^(true|1|TRUE|True)$/.test(inline);
      (options as Record<string, unknown>)[boolKey] = on;
      continue;
    }
    switch (name) {
      case 'check-prefix': {
        const v = takeValue(name, inline);
        if (v !== null) list('checkPrefixes').push(v);
        continue;
      }
      case 'check-prefixes': {
        const v = takeValue(name, inline);
        if (v !== null) list('checkPrefixes').push(...v.split(','));
        continue;
      }
      case 'comment-prefixes': {
        const v = takeValue(name, inline);
        if (v !== null) list('commentPrefixes').push(...v.split(','));
        continue;
      }
      case 'implicit-check-not': {
        const v = takeValue(name, inline);
        if (v !== null) list('implicitCheckNot').push(v);
        continue;
      }
      case 'input-file': {
        const v = takeValue(name, inline);
        if (v !== null) res.inputFile = v;
        continue;
      }
      case 'help':
      case 'h':
        res.help = true;
        continue;
      case 'version':
        res.version = true;
        continue;
      default:
        break;
    }
    const ignored = IGNORED[name];
    if (ignored !== undefined) {
      if (ignored && inline === undefined) takeValue(name, inline);
      continue;
    }
    res.errors.push(`filecheck: Unknown command line argument '${arg}'.  Try: 'filecheck --help'`);
  }
  if (res.checkFile === null && !res.help && !res.version) {
    res.errors.push('filecheck: Not enough positional command line arguments specified!\nMust specify at least 1 positional argument: See: filecheck --help');
  }
  return res;
}

/** The `--help` text of the filecheck tool. */
export const FILECHECK_USAGE = `USAGE: filecheck [options] <check-file>

Reads the input from stdin (or --input-file) and verifies it against the
CHECK directives of <check-file>, like LLVM FileCheck.

OPTIONS:
  --check-prefix=<p>          Prefix to use (repeatable; default CHECK)
  --check-prefixes=<a,b,..>   Several prefixes at once
  --comment-prefixes=<a,..>   Comment prefixes (default COM,RUN)
  --input-file=<file>         File to check (default stdin)
  --implicit-check-not=<pat>  Pattern that must not occur anywhere (repeatable)
  -D<VAR>=<VALUE>             Define a string variable ([[VAR]]); -D#<VAR>=<N> numeric
  --match-full-lines          Patterns must match whole lines
  --strict-whitespace         Do not canonicalise horizontal whitespace
  --ignore-case               Case-insensitive matching
  --allow-empty               Allow an empty input
  --enable-var-scope          Clear non-$ variables at each CHECK-LABEL block
  --allow-unused-prefixes     Do not fail when some prefix is unused
  --allow-deprecated-dag-overlap  Let CHECK-DAG matches of one group overlap
`;
