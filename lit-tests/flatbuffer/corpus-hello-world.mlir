// REQUIRES: corpus
// RUN: qopt %corpus/hello_world/hello_world_float.tflite --mlir-print-debuginfo | filecheck %s
// RUN: qopt %corpus/hello_world/hello_world_float.tflite -o %t.tflite
// RUN: qopt run %t.tflite | filecheck %s --check-prefix=EXEC

// CHECK: module attributes {{{.*}}tfl.signature_defs = [{function = "main"
// CHECK: func.func @main(%arg0: tensor<?x1xf32> loc("serving_default_dense_input:0")) -> tensor<?x1xf32>
// CHECK-COUNT-3: "tfl.fully_connected"
// EXEC: StatefulPartitionedCall:0: f32[1,1]
