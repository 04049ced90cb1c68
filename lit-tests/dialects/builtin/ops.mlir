// RUN: qopt %s | qopt | filecheck %s
// RUN: qopt %s --mlir-print-op-generic | qopt | filecheck %s

// CHECK-LABEL: module attributes {qopt.test = "x"}
module attributes {qopt.test = "x"} {
  // CHECK: func.func @two_results(%arg0: tensor<2xf32> {tf.name = "a"}, %arg1: tensor<2xi32>) -> (tensor<2xf32>, tensor<2xi32>)
  func.func @two_results(%arg0: tensor<2xf32> {tf.name = "a"}, %arg1: tensor<2xi32>) -> (tensor<2xf32>, tensor<2xi32>) {
    // CHECK: return %arg0, %arg1 : tensor<2xf32>, tensor<2xi32>
    return %arg0, %arg1 : tensor<2xf32>, tensor<2xi32>
  }
  // CHECK: func.func private @decl(tensor<2xf32>) -> tensor<2xf32>
  func.func private @decl(tensor<2xf32>) -> tensor<2xf32>
  // CHECK-LABEL: func.func @caller
  func.func @caller(%arg0: tensor<2xf32>) -> tensor<2xf32> {
    // CHECK: [[R:%.*]] = call @decl(%arg0) : (tensor<2xf32>) -> tensor<2xf32>
    %0 = call @decl(%arg0) : (tensor<2xf32>) -> tensor<2xf32>
    // CHECK: return [[R]]
    return %0 : tensor<2xf32>
  }
}
