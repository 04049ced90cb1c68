// Smoke test of the in-process `filecheck` builtin driven by qopt-lit: directives, flags, `not`,
// pipes, redirections and %t.
// RUN: echo "func.func @main() {" > %t && echo '  %0 = "tfl.add"(%a, %b) : (tensor<1xf32>)' >> %t && echo "}" >> %t
// RUN: filecheck %s --input-file %t
// RUN: filecheck %s --input-file %t --check-prefix=FULL --match-full-lines
// RUN: not filecheck %s --input-file %t --check-prefix=BAD
// RUN: cat %t | filecheck %s --check-prefix=NOSUB --implicit-check-not=tfl.sub
// RUN: filecheck %s --input-file %t --check-prefixes=DAG,NEVER --allow-unused-prefixes

// CHECK-LABEL: func.func @main
// CHECK-NEXT: %[[V:[0-9]+]] = "tfl.add"
// CHECK-SAME: tensor<1xf32>
// CHECK-NEXT: }

// FULL: func.func @main() {
// FULL-NEXT: %0 = "tfl.add"(%a, %b) : (tensor<1xf32>)
// FULL-NEXT: }

// BAD: tfl.mul

// NOSUB: tfl.add

// DAG-DAG: }
// DAG-DAG: @main
