// The check file checks itself: patterns below also match their own lines.
// RUN: filecheck %s --input-file %s
// RUN: not filecheck %s --input-file %s --check-prefix=MISSING
// RUN: filecheck %s --input-file %s --check-prefix=COUNTED

// CHECK: The check file checks itself
// CHECK-NOT: this text does not appear{{[0-9]}}
// CHECK-COUNT-2: {{RUN}}: {{(not )?}}filecheck %s --input-file %s
// CHECK-NEXT: --check-prefix=COUNTED
// CHECK-EMPTY:
// CHECK-NEXT: CHECK: The check file

// MISSING: {{absent[0-9]+}}

// COUNTED-COUNT-3: --input-file
