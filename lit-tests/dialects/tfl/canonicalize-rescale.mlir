// RUN: qopt %s --passes=canonicalize | filecheck %s
// Canonicalization of rescales (tfl.quantize / tfl.dequantize), one function per pattern.

module {
// dequantize -> quantize with equal types: both removed.
// CHECK-LABEL: func.func @dq_q_same_type(
// CHECK-NOT: "tfl.dequantize"
// CHECK-NOT: "tfl.quantize"
// CHECK: return %arg0 :
  func.func @dq_q_same_type(%arg0: tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>> {
    %0 = "tfl.dequantize"(%arg0) : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4xf32>
    %1 = "tfl.quantize"(%0) {qtype = tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
    return %1 : tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
  }

// dequantize -> quantize with different types: one requantize.
// CHECK-LABEL: func.func @dq_q_requantize(
// CHECK-NOT: "tfl.dequantize"
// CHECK: [[R:%.*]] = "tfl.quantize"(%arg0) {{.*}} : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<i16:f32, 1.000000e-03>>
// CHECK: return [[R]] :
  func.func @dq_q_requantize(%arg0: tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<i16:f32, 1.000000e-03>> {
    %0 = "tfl.dequantize"(%arg0) : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4xf32>
    %1 = "tfl.quantize"(%0) {qtype = tensor<4x!quant.uniform<i16:f32, 1.000000e-03>>} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i16:f32, 1.000000e-03>>
    return %1 : tensor<4x!quant.uniform<i16:f32, 1.000000e-03>>
  }

// A chain of requantizes becomes one when the middle types clamp nothing (each covers the range
// coming in: i8 0.5:-3 spans [-62.5, 65], the i16 steps span ±131 and ±98).
// CHECK-LABEL: func.func @requantize_chain(
// CHECK-NEXT: [[R:%.*]] = "tfl.quantize"(%arg0) {{.*}} : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>>
// CHECK-NEXT: return [[R]] :
  func.func @requantize_chain(%arg0: tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>> {
    %0 = "tfl.quantize"(%arg0) {qtype = tensor<4x!quant.uniform<i16:f32, 4.000000e-03>>} : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<i16:f32, 4.000000e-03>>
    %1 = "tfl.quantize"(%0) {qtype = tensor<4x!quant.uniform<i16:f32, 3.000000e-03>>} : (tensor<4x!quant.uniform<i16:f32, 4.000000e-03>>) -> tensor<4x!quant.uniform<i16:f32, 3.000000e-03>>
    %2 = "tfl.quantize"(%1) {qtype = tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>>} : (tensor<4x!quant.uniform<i16:f32, 3.000000e-03>>) -> tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>>
    return %2 : tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>>
  }

// A middle type that clamps (i8 0.1 spans [-12.8, 12.7], narrower than both ends) stays.
// CHECK-LABEL: func.func @clamping_chain_kept(
// CHECK-NEXT: [[A:%.*]] = "tfl.quantize"(%arg0) {{.*}} -> tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>
// CHECK-NEXT: [[B:%.*]] = "tfl.quantize"([[A]]) {{.*}} -> tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>>
// CHECK-NEXT: return [[B]] :
  func.func @clamping_chain_kept(%arg0: tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>> {
    %0 = "tfl.quantize"(%arg0) {qtype = tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>} : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>
    %1 = "tfl.quantize"(%0) {qtype = tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>>} : (tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>) -> tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>>
    return %1 : tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>>
  }

// A float value quantized twice is quantized once, to the final type (the i16 step covers it).
// CHECK-LABEL: func.func @quantize_twice(
// CHECK-NEXT: [[R:%.*]] = "tfl.quantize"(%arg0) {{.*}} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>>
// CHECK-NEXT: return [[R]] :
  func.func @quantize_twice(%arg0: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>> {
    %0 = "tfl.quantize"(%arg0) {qtype = tensor<4x!quant.uniform<i16:f32, 1.000000e-03>>} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i16:f32, 1.000000e-03>>
    %1 = "tfl.quantize"(%0) {qtype = tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>>} : (tensor<4x!quant.uniform<i16:f32, 1.000000e-03>>) -> tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>>
    return %1 : tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>>
  }

// quantize of a constant folds into a quantized constant: round(x / scale) half away from zero,
// plus the zero point, clamped to the storage range (here [-127, 127]); per axis slice by slice.
// CHECK-LABEL: func.func @quantize_constant(
// CHECK-NOT: "tfl.quantize"
// CHECK-NOT: "tfl.pseudo_const"
// CHECK-DAG: "tfl.pseudo_qconst"() {qtype = tensor<5x!quant.uniform<i8:f32, 5.000000e-01:-3>>, value = dense<[-1, -4, 1, -128, 127]> : tensor<5xi8>}
// CHECK-DAG: "tfl.pseudo_qconst"() {qtype = tensor<2x2x!quant.uniform<i8<-127:127>:f32:0, {1.000000e+00,1.000000e-01}>>, value = dense<{{\[\[}}2, -127], [5, 127]]> : tensor<2x2xi8>}
  func.func @quantize_constant() -> (tensor<5x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<2x2x!quant.uniform<i8<-127:127>:f32:0, {1.000000e+00,1.000000e-01}>>) {
    %c = "tfl.pseudo_const"() {value = dense<[0.75, -0.25, 2.0, -1000.0, 1000.0]> : tensor<5xf32>} : () -> tensor<5xf32>
    %0 = "tfl.quantize"(%c) {qtype = tensor<5x!quant.uniform<i8:f32, 5.000000e-01:-3>>} : (tensor<5xf32>) -> tensor<5x!quant.uniform<i8:f32, 5.000000e-01:-3>>
    %w = "tfl.pseudo_const"() {value = dense<[[1.5, -200.0], [0.5, 13.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
    %1 = "tfl.quantize"(%w) {qtype = tensor<2x2x!quant.uniform<i8<-127:127>:f32:0, {1.000000e+00,1.000000e-01}>>} : (tensor<2x2xf32>) -> tensor<2x2x!quant.uniform<i8<-127:127>:f32:0, {1.000000e+00,1.000000e-01}>>
    return %0, %1 : tensor<5x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<2x2x!quant.uniform<i8<-127:127>:f32:0, {1.000000e+00,1.000000e-01}>>
  }

// A variable constant (LSTM/SVDF state) is not folded: it is a buffer, not a value.
// CHECK-LABEL: func.func @variable_not_folded(
// CHECK: "tfl.pseudo_const"() {tfl.is_variable
// CHECK: "tfl.quantize"
  func.func @variable_not_folded() -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>> {
    %c = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
    %0 = "tfl.quantize"(%c) {qtype = tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>} : (tensor<2xf32>) -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
    return %0 : tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
  }

// Dead quantize / dequantize ops are removed.
// CHECK-LABEL: func.func @dead_rescales(
// CHECK-NEXT: return %arg0 :
  func.func @dead_rescales(%arg0: tensor<4xf32>) -> tensor<4xf32> {
    %0 = "tfl.quantize"(%arg0) {qtype = tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
    %1 = "tfl.dequantize"(%0) : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<4xf32>
    return %arg0 : tensor<4xf32>
  }

// A float same-scale op between dequantize and quantize moves onto the quantized value, which
// removes both rescales (equal types) ...
// CHECK-LABEL: func.func @reshape_across_qdq(
// CHECK-NOT: "tfl.dequantize"
// CHECK: [[R:%.*]] = "tfl.reshape"(%arg0, {{%.*}}) : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<1xi32>) -> tensor<6x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK-NOT: "tfl.quantize"
// CHECK: return [[R]] :
  func.func @reshape_across_qdq(%arg0: tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<6x!quant.uniform<i8:f32, 5.000000e-01:-3>> {
    %s = "tfl.pseudo_const"() {value = dense<6> : tensor<1xi32>} : () -> tensor<1xi32>
    %0 = "tfl.dequantize"(%arg0) : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<2x3xf32>
    %1 = "tfl.reshape"(%0, %s) : (tensor<2x3xf32>, tensor<1xi32>) -> tensor<6xf32>
    %2 = "tfl.quantize"(%1) {qtype = tensor<6x!quant.uniform<i8:f32, 5.000000e-01:-3>>} : (tensor<6xf32>) -> tensor<6x!quant.uniform<i8:f32, 5.000000e-01:-3>>
    return %2 : tensor<6x!quant.uniform<i8:f32, 5.000000e-01:-3>>
  }

// ... or leaves one requantize after it (different types of the same width).
// CHECK-LABEL: func.func @transpose_across_qdq(
// CHECK-NOT: "tfl.dequantize"
// CHECK: [[T:%.*]] = "tfl.transpose"(%arg0, {{%.*}}) : (tensor<2x3x!quant.uniform<i16:f32, 1.000000e-03>>, tensor<2xi32>) -> tensor<3x2x!quant.uniform<i16:f32, 1.000000e-03>>
// CHECK: [[Q:%.*]] = "tfl.quantize"([[T]]) {{.*}} -> tensor<3x2x!quant.uniform<i16:f32, 2.000000e-03>>
// CHECK: return [[Q]] :
  func.func @transpose_across_qdq(%arg0: tensor<2x3x!quant.uniform<i16:f32, 1.000000e-03>>) -> tensor<3x2x!quant.uniform<i16:f32, 2.000000e-03>> {
    %p = "tfl.pseudo_const"() {value = dense<[1, 0]> : tensor<2xi32>} : () -> tensor<2xi32>
    %0 = "tfl.dequantize"(%arg0) : (tensor<2x3x!quant.uniform<i16:f32, 1.000000e-03>>) -> tensor<2x3xf32>
    %1 = "tfl.transpose"(%0, %p) : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<3x2xf32>
    %2 = "tfl.quantize"(%1) {qtype = tensor<3x2x!quant.uniform<i16:f32, 2.000000e-03>>} : (tensor<3x2xf32>) -> tensor<3x2x!quant.uniform<i16:f32, 2.000000e-03>>
    return %2 : tensor<3x2x!quant.uniform<i16:f32, 2.000000e-03>>
  }

// Not moved when the float result has other users (the float op must stay) or the op computes
// (a logistic is not a data-movement op).
// CHECK-LABEL: func.func @not_moved(
// CHECK: "tfl.reshape"({{%.*}}, {{%.*}}) : (tensor<2x3xf32>, tensor<1xi32>) -> tensor<6xf32>
// CHECK: "tfl.logistic"({{%.*}}) : (tensor<6xf32>) -> tensor<6xf32>
  func.func @not_moved(%arg0: tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> (tensor<6x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<6xf32>, tensor<6x!quant.uniform<i8:f32, 3.906250e-03:-128>>) {
    %s = "tfl.pseudo_const"() {value = dense<6> : tensor<1xi32>} : () -> tensor<1xi32>
    %0 = "tfl.dequantize"(%arg0) : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<2x3xf32>
    %1 = "tfl.reshape"(%0, %s) : (tensor<2x3xf32>, tensor<1xi32>) -> tensor<6xf32>
    %2 = "tfl.quantize"(%1) {qtype = tensor<6x!quant.uniform<i8:f32, 5.000000e-01:-3>>} : (tensor<6xf32>) -> tensor<6x!quant.uniform<i8:f32, 5.000000e-01:-3>>
    %3 = "tfl.logistic"(%1) : (tensor<6xf32>) -> tensor<6xf32>
    %4 = "tfl.quantize"(%3) {qtype = tensor<6x!quant.uniform<i8:f32, 3.906250e-03:-128>>} : (tensor<6xf32>) -> tensor<6x!quant.uniform<i8:f32, 3.906250e-03:-128>>
    return %2, %1, %4 : tensor<6x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<6xf32>, tensor<6x!quant.uniform<i8:f32, 3.906250e-03:-128>>
  }
}
