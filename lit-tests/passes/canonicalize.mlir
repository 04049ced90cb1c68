// RUN: qopt %s --passes=canonicalize | filecheck %s

// CHECK-LABEL: func.func @reshape_chain
func.func @reshape_chain(%arg0: tensor<2x3xf32>) -> tensor<6xf32> {
  // CHECK: [[S:%.*]] = "tfl.pseudo_const"() {value = dense<6> : tensor<1xi32>}
  // CHECK: [[R:%.*]] = "tfl.reshape"(%arg0, [[S]])
  // CHECK-NOT: "tfl.reshape"
  // CHECK: return [[R]]
  %s1 = "tfl.pseudo_const"() {value = dense<[3, 2]> : tensor<2xi32>} : () -> tensor<2xi32>
  %0 = "tfl.reshape"(%arg0, %s1) : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<3x2xf32>
  %s2 = "tfl.pseudo_const"() {value = dense<6> : tensor<1xi32>} : () -> tensor<1xi32>
  %1 = "tfl.reshape"(%0, %s2) : (tensor<3x2xf32>, tensor<1xi32>) -> tensor<6xf32>
  return %1 : tensor<6xf32>
}

// CHECK-LABEL: func.func @idempotent_relu
func.func @idempotent_relu(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: [[R:%.*]] = "tfl.relu"(%arg0)
  // CHECK-NEXT: return [[R]]
  %0 = "tfl.relu"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = "tfl.relu"(%0) : (tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// CHECK-LABEL: func.func @dq_q_same_type
func.func @dq_q_same_type(%arg0: tensor<4x!quant.uniform<i8:f32, 1.0e-01:3>>) -> tensor<4x!quant.uniform<i8:f32, 1.0e-01:3>> {
  // CHECK-NEXT: return %arg0
  %0 = "tfl.dequantize"(%arg0) : (tensor<4x!quant.uniform<i8:f32, 1.0e-01:3>>) -> tensor<4xf32>
  %1 = "tfl.quantize"(%0) {qtype = tensor<4x!quant.uniform<i8:f32, 1.0e-01:3>>} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 1.0e-01:3>>
  return %1 : tensor<4x!quant.uniform<i8:f32, 1.0e-01:3>>
}
