// RUN: qopt %s --passes=symbol-dce | filecheck %s

// CHECK-LABEL: func.func @main
// CHECK: call @used
// CHECK: func.func private @used
// CHECK-NOT: @unused
// CHECK: func.func @public_kept
module {
  func.func @main(%arg0: tensor<2xf32>) -> tensor<2xf32> {
    %0 = call @used(%arg0) : (tensor<2xf32>) -> tensor<2xf32>
    return %0 : tensor<2xf32>
  }
  func.func private @used(%arg0: tensor<2xf32>) -> tensor<2xf32> {
    return %arg0 : tensor<2xf32>
  }
  func.func private @unused(%arg0: tensor<2xf32>) -> tensor<2xf32> {
    return %arg0 : tensor<2xf32>
  }
  func.func @public_kept(%arg0: tensor<2xf32>) -> tensor<2xf32> {
    return %arg0 : tensor<2xf32>
  }
}
