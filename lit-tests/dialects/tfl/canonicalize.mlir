// RUN: qopt %s --passes=canonicalize | filecheck %s
// The tfl folders and canonicalization patterns under the canonicalize pass.

module {
// CHECK-LABEL: func.func @arith_identities(
// CHECK-NOT: "tfl.mul"
// CHECK: [[A:%.*]] = "tfl.add"(%arg0, [[Z:%.*]]) {{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NOT: "tfl.sub"
// CHECK: return %arg0, [[A]] :
  func.func @arith_identities(%arg0: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
    %negzero = "tfl.pseudo_const"() {value = dense<-0.000000e+00> : tensor<3xf32>} : () -> tensor<3xf32>
    %zero = "tfl.pseudo_const"() {value = dense<0.000000e+00> : tensor<3xf32>} : () -> tensor<3xf32>
    %one = "tfl.pseudo_const"() {value = dense<1.000000e+00> : tensor<3xf32>} : () -> tensor<3xf32>
    %0 = "tfl.mul"(%arg0, %one) {fused_activation_function = "NONE"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    %1 = "tfl.add"(%0, %negzero) {fused_activation_function = "NONE"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    %2 = "tfl.sub"(%1, %zero) {fused_activation_function = "NONE"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    // x + 0.0 is not an identity (-0.0 + 0.0 = 0.0): it stays.
    %3 = "tfl.add"(%2, %zero) {fused_activation_function = "NONE"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    return %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @fused_activation_blocks_identity(
// CHECK: "tfl.mul"(%arg0, {{.*}}) {fused_activation_function = "RELU"}
  func.func @fused_activation_blocks_identity(%arg0: tensor<3xf32>) -> tensor<3xf32> {
    %one = "tfl.pseudo_const"() {value = dense<1.000000e+00> : tensor<3xf32>} : () -> tensor<3xf32>
    %0 = "tfl.mul"(%arg0, %one) {fused_activation_function = "RELU"} : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    return %0 : tensor<3xf32>
  }

// CHECK-LABEL: func.func @shape_arithmetic(
// CHECK-DAG: [[S:%.*]] = "tfl.pseudo_const"() {value = dense<[2, 3]> : tensor<2xi32>} : () -> tensor<2xi32>
// CHECK-DAG: [[P:%.*]] = "tfl.pseudo_const"() {value = dense<[4, 6]> : tensor<2xi32>} : () -> tensor<2xi32>
// CHECK-NOT: "tfl.shape"
// CHECK-NOT: "tfl.mul"
// CHECK: return [[S]], [[P]] :
  func.func @shape_arithmetic(%arg0: tensor<2x3xf32>) -> (tensor<2xi32>, tensor<2xi32>) {
    %0 = "tfl.shape"(%arg0) : (tensor<2x3xf32>) -> tensor<2xi32>
    %two = "tfl.pseudo_const"() {value = dense<2> : tensor<i32>} : () -> tensor<i32>
    %1 = "tfl.mul"(%0, %two) {fused_activation_function = "NONE"} : (tensor<2xi32>, tensor<i32>) -> tensor<2xi32>
    return %0, %1 : tensor<2xi32>, tensor<2xi32>
  }

// CHECK-LABEL: func.func @reshape_chain(
// CHECK: [[R:%.*]] = "tfl.reshape"(%arg0, {{.*}}) : (tensor<2x6xf32>, tensor<2xi32>) -> tensor<3x4xf32>
// CHECK-NOT: "tfl.reshape"
// CHECK: return %arg0, [[R]] :
  func.func @reshape_chain(%arg0: tensor<2x6xf32>) -> (tensor<2x6xf32>, tensor<3x4xf32>) {
    %s12 = "tfl.pseudo_const"() {value = dense<12> : tensor<1xi32>} : () -> tensor<1xi32>
    %s34 = "tfl.pseudo_const"() {value = dense<[3, 4]> : tensor<2xi32>} : () -> tensor<2xi32>
    %s26 = "tfl.pseudo_const"() {value = dense<[2, 6]> : tensor<2xi32>} : () -> tensor<2xi32>
    %0 = "tfl.reshape"(%arg0, %s12) : (tensor<2x6xf32>, tensor<1xi32>) -> tensor<12xf32>
    %1 = "tfl.reshape"(%0, %s34) : (tensor<12xf32>, tensor<2xi32>) -> tensor<3x4xf32>
    %2 = "tfl.reshape"(%1, %s26) : (tensor<3x4xf32>, tensor<2xi32>) -> tensor<2x6xf32>
    return %2, %1 : tensor<2x6xf32>, tensor<3x4xf32>
  }

// CHECK-LABEL: func.func @no_op_shapes(
// CHECK-NOT: "tfl.expand_dims"
// CHECK-NOT: "tfl.squeeze"
// CHECK-NOT: "tfl.pad"
// CHECK-NOT: "tfl.cast"
// CHECK-NOT: "tfl.transpose"
// CHECK: return %arg0, %arg0, %arg0, %arg1 :
  func.func @no_op_shapes(%arg0: tensor<3xf32>, %arg1: tensor<2x3x4xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x4xf32>) {
    %d = "tfl.pseudo_const"() {value = dense<0> : tensor<i32>} : () -> tensor<i32>
    %0 = "tfl.expand_dims"(%arg0, %d) : (tensor<3xf32>, tensor<i32>) -> tensor<1x3xf32>
    %1 = "tfl.squeeze"(%0) : (tensor<1x3xf32>) -> tensor<3xf32>
    %p = "tfl.pseudo_const"() {value = dense<0> : tensor<1x2xi32>} : () -> tensor<1x2xi32>
    %2 = "tfl.pad"(%1, %p) : (tensor<3xf32>, tensor<1x2xi32>) -> tensor<3xf32>
    %3 = "tfl.cast"(%2) : (tensor<3xf32>) -> tensor<3xf32>
    %perm1 = "tfl.pseudo_const"() {value = dense<[2, 0, 1]> : tensor<3xi32>} : () -> tensor<3xi32>
    %perm2 = "tfl.pseudo_const"() {value = dense<[1, 2, 0]> : tensor<3xi32>} : () -> tensor<3xi32>
    %4 = "tfl.transpose"(%arg1, %perm1) : (tensor<2x3x4xf32>, tensor<3xi32>) -> tensor<4x2x3xf32>
    %5 = "tfl.transpose"(%4, %perm2) : (tensor<4x2x3xf32>, tensor<3xi32>) -> tensor<2x3x4xf32>
    return %1, %2, %3, %5 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x4xf32>
  }

// CHECK-LABEL: func.func @quantize_dequantize(
// CHECK-NOT: "tfl.dequantize"
// CHECK: [[RQ:%.*]] = "tfl.quantize"(%arg0) {{.*}} : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<i16:f32, 1.000000e-03>>
// CHECK: return %arg0, [[RQ]] :
  func.func @quantize_dequantize(%arg0: tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<4x!quant.uniform<i16:f32, 1.000000e-03>>) {
    %0 = "tfl.dequantize"(%arg0) : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4xf32>
    %1 = "tfl.quantize"(%0) {qtype = tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
    %2 = "tfl.quantize"(%0) {qtype = tensor<4x!quant.uniform<i16:f32, 1.000000e-03>>} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i16:f32, 1.000000e-03>>
    return %1, %2 : tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<4x!quant.uniform<i16:f32, 1.000000e-03>>
  }

// CHECK-LABEL: func.func @idempotent_relu(
// CHECK: [[R:%.*]] = "tfl.relu"(%arg0)
// CHECK-NOT: "tfl.relu"
// CHECK: return [[R]] :
  func.func @idempotent_relu(%arg0: tensor<4xf32>) -> tensor<4xf32> {
    %0 = "tfl.relu"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
    %1 = "tfl.relu"(%0) : (tensor<4xf32>) -> tensor<4xf32>
    return %1 : tensor<4xf32>
  }
}
