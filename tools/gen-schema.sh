#!/usr/bin/env bash
# Regenerates the TypeScript bindings for qopt's .tflite schema:
#   src/flatbuffer/schema/tflite.fbs  ->  src/flatbuffer/generated/tflite_generated.ts
# Usage: npm run gen:schema   (or: bash tools/gen-schema.sh). Needs flatc (2.0.8 expected;
# override the binary with FLATC=/path/to/flatc). Output is deterministic for a given flatc.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

FLATC="${FLATC:-flatc}"
EXPECTED_FLATC_VERSION="2.0.8"
schema="src/flatbuffer/schema/tflite.fbs"
out_dir="src/flatbuffer/generated"
out_file="$out_dir/tflite_generated.ts"

if ! command -v "$FLATC" >/dev/null 2>&1; then
  echo "gen-schema: '$FLATC' not found (Debian/Ubuntu: apt-get install flatbuffers-compiler)" >&2
  exit 1
fi

version="$("$FLATC" --version | awk '{print $NF}')"
if [[ "$version" != "$EXPECTED_FLATC_VERSION" ]]; then
  # Newer flatc releases change --ts-flat-files (they bundle with esbuild) and the shape
  # of the generated code; the committed bindings were produced by 2.0.8.
  echo "gen-schema: warning: flatc $version, expected $EXPECTED_FLATC_VERSION; review the diff" >&2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# --ts-flat-files: one self-contained module (the per-type layout emits extensionless
# relative imports, which NodeNext ESM cannot resolve). --gen-object-api: the *T classes
# with unpack()/pack() used by importers/exporters.
"$FLATC" --ts --ts-flat-files --gen-object-api -o "$tmp" "$schema"

generated="$tmp/tflite_generated.ts"
[[ -f "$generated" ]] || { echo "gen-schema: flatc produced no $generated" >&2; exit 1; }

# The only import must be the 'flatbuffers' runtime package (resolves under NodeNext).
if grep -E "^import " "$generated" | grep -v -q "from 'flatbuffers';"; then
  echo "gen-schema: unexpected import in generated code:" >&2
  grep -E "^import " "$generated" >&2
  exit 1
fi

# flatc's TypeScript generator ignores `force_align`; honour it for the four vectors that
# declare it, so object-API pack() output keeps weight data 16-byte aligned like the C++
# writer does. Each rewrite must hit exactly its create*/start* pair inside its class.
node - "$generated" <<'NODE'
const fs = require('node:fs');
const file = process.argv[2];
let src = fs.readFileSync(file, 'utf8');
const rules = [
  // [class, vector name (PascalCase), element size, forced alignment]
  ['CustomQuantization', 'Custom', 1, 16],
  ['Uint16Vector', 'Values', 2, 4],
  ['Uint8Vector', 'Values', 1, 4],
  ['Buffer', 'Data', 1, 16],
];
for (const [cls, vec, size, align] of rules) {
  const start = src.indexOf(`\nexport class ${cls} {`);
  if (start < 0) throw new Error(`gen-schema: class ${cls} not found`);
  const next = src.indexOf('\nexport ', start + 1);
  const end = next < 0 ? src.length : next;
  let body = src.slice(start, end);
  let hits = 0;
  for (const [fn, count] of [[`create${vec}Vector`, 'data.length'], [`start${vec}Vector`, 'numElems']]) {
    const re = new RegExp(`(static ${fn}\\([^)]*\\)[^{]*\\{\\s*builder\\.startVector\\(${size}, ${count}, )${size}\\)`);
    if (!re.test(body)) throw new Error(`gen-schema: ${cls}.${fn} not in the expected shape`);
    body = body.replace(re, `$1${align})`);
    hits++;
  }
  if (hits !== 2) throw new Error(`gen-schema: ${cls}: expected 2 rewrites`);
  src = src.slice(0, start) + body + src.slice(end);
}
fs.writeFileSync(file, src);
NODE

{
  echo "// GENERATED FILE - DO NOT EDIT. Source: $schema"
  echo "// Regenerate with: npm run gen:schema   (bash tools/gen-schema.sh, which runs"
  echo "//   flatc --ts --ts-flat-files --gen-object-api -o <tmp> $schema ; flatc $version)"
  echo "// Post-processed: force_align honoured in CustomQuantization.custom, Uint16Vector.values,"
  echo "//   Uint8Vector.values and Buffer.data builders (flatc's TS generator drops it)."
  echo "/* eslint-disable */"
  cat "$generated"
} > "$tmp/with-header.ts"

# The bindings are expected to pass the project's strict compiler settings as they are.
# If a different flatc emits code that does not, fall back to // @ts-nocheck.
check_flags=(--noEmit --strict --noUncheckedIndexedAccess --noImplicitReturns
  --noImplicitOverride --target ES2022 --module NodeNext --moduleResolution NodeNext
  --skipLibCheck --types node)
mkdir -p "$tmp/check"
cp "$tmp/with-header.ts" "$tmp/check/tflite_generated.ts"
ln -s "$repo_root/node_modules" "$tmp/check/node_modules"
if ! (cd "$tmp/check" && "$repo_root/node_modules/.bin/tsc" "${check_flags[@]}" tflite_generated.ts \
      >"$tmp/tsc.log" 2>&1); then
  echo "gen-schema: generated code fails strict type checking; adding // @ts-nocheck" >&2
  head -n 20 "$tmp/tsc.log" >&2
  { echo "// @ts-nocheck"; cat "$tmp/with-header.ts"; } > "$tmp/final.ts"
else
  cp "$tmp/with-header.ts" "$tmp/final.ts"
fi

mkdir -p "$out_dir"
mv "$tmp/final.ts" "$out_file"
echo "gen-schema: wrote $out_file ($(wc -c < "$out_file") bytes, flatc $version)"
