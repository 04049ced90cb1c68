// RUN: qopt %s --split-input-file | filecheck %s
// RUN: qopt %s --split-input-file --verify-diagnostics

// CHECK-LABEL: func.func @first
func.func @first(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  return %arg0 : tensor<4xf32>
}

// -----

// CHECK: // -----
// CHECK-LABEL: func.func @second
func.func @second(%arg0: tensor<2xi8>) -> tensor<2xi8> {
  return %arg0 : tensor<2xi8>
}
