// RUN: qopt %s --passes=cse | filecheck %s

// CHECK-LABEL: func.func @dedupe
func.func @dedupe(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: [[R:%.*]] = "tfl.relu"(%arg0)
  // CHECK-NOT: "tfl.relu"
  // CHECK: [[S:%.*]] = "tfl.add"([[R]], [[R]])
  // CHECK: return [[S]]
  %0 = "tfl.relu"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = "tfl.relu"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
  %2 = "tfl.add"(%0, %1) {fused_activation_function = "NONE"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// CHECK-LABEL: func.func @consts
func.func @consts() -> (tensor<2xi32>, tensor<2xi32>) {
  // CHECK: [[C:%.*]] = "tfl.pseudo_const"
  // CHECK-NOT: "tfl.pseudo_const"
  // CHECK: return [[C]], [[C]]
  %0 = "tfl.pseudo_const"() {value = dense<[1, 2]> : tensor<2xi32>} : () -> tensor<2xi32>
  %1 = "tfl.pseudo_const"() {value = dense<[1, 2]> : tensor<2xi32>} : () -> tensor<2xi32>
  return %0, %1 : tensor<2xi32>, tensor<2xi32>
}

// CHECK-LABEL: func.func @different_attrs_stay
func.func @different_attrs_stay(%arg0: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: "tfl.add"(%arg0, %arg0) {fused_activation_function = "NONE"}
  // CHECK: "tfl.add"(%arg0, %arg0) {fused_activation_function = "RELU"}
  %0 = "tfl.add"(%arg0, %arg0) {fused_activation_function = "NONE"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = "tfl.add"(%arg0, %arg0) {fused_activation_function = "RELU"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}
