// RUN: qopt %s --split-input-file --passes='func.func(quant-insert-calibration)' | filecheck %s
// Idempotent: a second run changes nothing.
// RUN: qopt %s --split-input-file --passes='func.func(quant-insert-calibration,quant-insert-calibration)' | filecheck %s

// Arguments and affine/activation results get a stats op; constants, fixed-range outputs
// (logistic), integer results (shape) and ops without a quant spec (div) do not. A same-scale op with
// one source (reshape) shares its producer's point; with two sources (concatenation) it gets its own.

// CHECK-LABEL: func.func @rules(
// CHECK-NEXT:    %[[IN:.*]] = "quantfork.stats"(%arg0) : (tensor<1x4xf32>) -> tensor<1x4xf32>
// CHECK-NOT:     layerStats
// CHECK:         %[[FC:.*]] = "tfl.fully_connected"(%[[IN]],
// CHECK-NEXT:    %[[FCS:.*]] = "quantfork.stats"(%[[FC]])
// CHECK-NEXT:    %[[SIG:.*]] = "tfl.logistic"(%[[FCS]])
// CHECK-NEXT:    %[[R:.*]] = "tfl.reshape"(%[[FCS]],
// CHECK-NEXT:    %[[CAT:.*]] = "tfl.concatenation"(%[[FCS]], %[[SIG]])
// CHECK-NEXT:    %[[CATS:.*]] = "quantfork.stats"(%[[CAT]])
// CHECK-NEXT:    %[[SH:.*]] = "tfl.shape"(%[[FCS]])
// CHECK-NEXT:    %[[DIV:.*]] = "tfl.div"(%[[IN]], %[[FCS]])
// CHECK-NEXT:    return %[[R]], %[[CATS]], %[[SH]], %[[DIV]], %[[SIG]] :
func.func @rules(%arg0: tensor<1x4xf32>) -> (tensor<1x2x2xf32>, tensor<1x8xf32>, tensor<2xi32>, tensor<1x4xf32>, tensor<1x4xf32>) {
  %w = "tfl.pseudo_const"() {value = dense<0.5> : tensor<4x4xf32>} : () -> tensor<4x4xf32>
  %b = "tfl.pseudo_const"() {value = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %shape = "tfl.pseudo_const"() {value = dense<[1, 2, 2]> : tensor<3xi32>} : () -> tensor<3xi32>
  %fc = "tfl.fully_connected"(%arg0, %w, %b) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  %sig = "tfl.logistic"(%fc) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %r = "tfl.reshape"(%fc, %shape) : (tensor<1x4xf32>, tensor<3xi32>) -> tensor<1x2x2xf32>
  %cat = "tfl.concatenation"(%fc, %sig) {axis = 1 : i32, fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x8xf32>
  %sh = "tfl.shape"(%fc) : (tensor<1x4xf32>) -> tensor<2xi32>
  %div = "tfl.div"(%arg0, %fc) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return %r, %cat, %sh, %div, %sig : tensor<1x2x2xf32>, tensor<1x8xf32>, tensor<2xi32>, tensor<1x4xf32>, tensor<1x4xf32>
}

// -----

// A chain of same-scale ops shares the point of its producer (the argument); a same-scale op whose
// source has no range of its own (tfl.div is never quantized) gets the point on its result.

// CHECK-LABEL: func.func @same_scale_chain(
// CHECK-NEXT:    %[[IN:.*]] = "quantfork.stats"(%arg0)
// CHECK:         %[[P:.*]] = "tfl.max_pool_2d"(%[[IN]])
// CHECK-NEXT:    %[[T:.*]] = "tfl.reshape"(%[[P]],
// CHECK-NEXT:    %[[D:.*]] = "tfl.div"(%[[T]], %[[T]])
// CHECK-NEXT:    %[[R:.*]] = "tfl.reshape"(%[[D]],
// CHECK-NEXT:    %[[RS:.*]] = "quantfork.stats"(%[[R]])
// CHECK-NEXT:    return %[[T]], %[[RS]] :
func.func @same_scale_chain(%arg0: tensor<1x4x4x1xf32>) -> (tensor<1x4xf32>, tensor<4xf32>) {
  %s1 = "tfl.pseudo_const"() {value = dense<[1, 4]> : tensor<2xi32>} : () -> tensor<2xi32>
  %s2 = "tfl.pseudo_const"() {value = dense<[4]> : tensor<1xi32>} : () -> tensor<1xi32>
  %p = "tfl.max_pool_2d"(%arg0) {filter_height = 2 : i32, filter_width = 2 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 2 : i32, stride_w = 2 : i32} : (tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32>
  %t = "tfl.reshape"(%p, %s1) : (tensor<1x2x2x1xf32>, tensor<2xi32>) -> tensor<1x4xf32>
  %d = "tfl.div"(%t, %t) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  %r = "tfl.reshape"(%d, %s2) : (tensor<1x4xf32>, tensor<1xi32>) -> tensor<4xf32>
  return %t, %r : tensor<1x4xf32>, tensor<4xf32>
}

// -----

// Values that already have a range (a calibrated type, an existing stats op) and dequantized values
// are left alone.

// CHECK-LABEL: func.func @already_calibrated(
// CHECK-NEXT:    %[[A:.*]] = "tfl.add"(%arg0, %arg0)
// CHECK-NEXT:    %[[S:.*]] = "quantfork.stats"(%[[A]]) {layerStats = dense<[-2.000000e+00, 2.000000e+00]> : tensor<2xf32>}
// CHECK-NEXT:    %[[Q:.*]] = "tfl.pseudo_qconst"()
// CHECK-NEXT:    %[[DQ:.*]] = "tfl.dequantize"(%[[Q]])
// CHECK-NEXT:    %[[M:.*]] = "tfl.mul"(%[[S]], %[[DQ]])
// CHECK-NEXT:    %[[MS:.*]] = "quantfork.stats"(%[[M]]) :
// CHECK-NEXT:    return %[[MS]] :
func.func @already_calibrated(%arg0: tensor<4x!quant.calibrated<f32<-1.0:1.0>>>) -> tensor<4xf32> {
  %0 = "tfl.add"(%arg0, %arg0) {fused_activation_function = "NONE"} : (tensor<4x!quant.calibrated<f32<-1.0:1.0>>>, tensor<4x!quant.calibrated<f32<-1.0:1.0>>>) -> tensor<4xf32>
  %1 = "quantfork.stats"(%0) {layerStats = dense<[-2.0, 2.0]> : tensor<2xf32>} : (tensor<4xf32>) -> tensor<4xf32>
  %q = "tfl.pseudo_qconst"() {qtype = tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>, value = dense<1> : tensor<4xi8>} : () -> tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>
  %dq = "tfl.dequantize"(%q) : (tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>) -> tensor<4xf32>
  %2 = "tfl.mul"(%1, %dq) {fused_activation_function = "NONE"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// An LSTM's output gets a point; its variable states (constants) never do.

// CHECK-LABEL: func.func @lstm(
// CHECK-NEXT:    %[[X:.*]] = "quantfork.stats"(%arg0)
// CHECK:         %[[H:.*]] = "tfl.pseudo_const"() {tfl.is_variable
// CHECK-NEXT:    %[[C:.*]] = "tfl.pseudo_const"() {tfl.is_variable
// CHECK-NEXT:    %[[L:.*]] = "tfl.unidirectional_sequence_lstm"(%[[X]], {{.*}}, %[[H]], %[[C]],
// CHECK-NEXT:    %[[LS:.*]] = "quantfork.stats"(%[[L]])
// CHECK-NEXT:    return %[[LS]] :
func.func @lstm(%arg0: tensor<1x2x1xf32>) -> tensor<1x2x1xf32> {
  %w = "tfl.pseudo_const"() {value = dense<0.5> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %b = "tfl.pseudo_const"() {value = dense<0.5> : tensor<1xf32>} : () -> tensor<1xf32>
  %none = "tfl.no_value"() {value} : () -> none
  %h = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %c = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %0 = "tfl.unidirectional_sequence_lstm"(%arg0, %w, %w, %w, %w, %w, %w, %w, %w, %none, %none, %none, %b, %b, %b, %b, %none, %none, %h, %c, %none, %none, %none, %none) {cell_clip = 0.0 : f32, fused_activation_function = "TANH", proj_clip = 0.0 : f32, time_major = false} : (tensor<1x2x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, none, none, none, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, none, none, tensor<1x1xf32>, tensor<1x1xf32>, none, none, none, none) -> tensor<1x2x1xf32>
  return %0 : tensor<1x2x1xf32>
}
