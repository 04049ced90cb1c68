// RUN: qopt %s --passes=dce | filecheck %s

// CHECK-LABEL: func.func @chain
func.func @chain(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK-NEXT: return %arg0
  %0 = "tfl.relu"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = "tfl.tanh"(%0) : (tensor<4xf32>) -> tensor<4xf32>
  %2 = "tfl.pseudo_const"() {value = dense<1.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %3 = "tfl.mul"(%1, %2) {fused_activation_function = "NONE"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %arg0 : tensor<4xf32>
}
