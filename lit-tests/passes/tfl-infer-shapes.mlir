// RUN: qopt %s --split-input-file --verify-diagnostics --passes=tfl-infer-shapes | filecheck %s
// RUN: not qopt %s --split-input-file --passes=tfl-infer-shapes 2>&1 | filecheck %s --check-prefix=ERR
// tfl-infer-shapes: unranked and dynamic result types refined by the ops' shape functions (LSTMs
// with time_major and projection, conv/pool/reshape/fully_connected/softmax, broadcasting,
// concatenation, mean), element and quantized types kept, partial results (a reshape's rank from its
// shape operand), ops without a shape function left alone, function signatures and calls updated;
// then the errors (inconsistent operands, conflicts with declared dims), each naming the op and its
// result (and the tensor, for imported models whose locations are tensor names).

// A time-major LSTM ([time, batch, depth]) whose output, like the litert_quantizer models', has no
// shape; quantize/dequantize keep their quantized and float element types, and qtype follows.
// CHECK-LABEL: func.func @lstm_time_major(%arg0: tensor<2x1x3xf32>) -> tensor<2x1x2xf32>
// CHECK: [[Y:%[0-9]+]] = "tfl.unidirectional_sequence_lstm"(%arg0, {{.*}}) -> tensor<2x1x2xf32>
// CHECK: [[Q:%[0-9]+]] = "tfl.quantize"([[Y]]) {qtype = tensor<2x1x2x!quant.uniform<i8:f32, 7.812500e-03>>} : (tensor<2x1x2xf32>) -> tensor<2x1x2x!quant.uniform<i8:f32, 7.812500e-03>>
// CHECK: [[D:%[0-9]+]] = "tfl.dequantize"([[Q]]) : (tensor<2x1x2x!quant.uniform<i8:f32, 7.812500e-03>>) -> tensor<2x1x2xf32>
// CHECK: return [[D]] : tensor<2x1x2xf32>
func.func @lstm_time_major(%arg0: tensor<2x1x3xf32>) -> tensor<*xf32> {
  %w = "tfl.pseudo_const"() {value = dense<5.000000e-01> : tensor<2x3xf32>} : () -> tensor<2x3xf32>
  %r = "tfl.pseudo_const"() {value = dense<2.500000e-01> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tfl.pseudo_const"() {value = dense<1.000000e-01> : tensor<2xf32>} : () -> tensor<2xf32>
  %h = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.000000e+00> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %c = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.000000e+00> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %n = "tfl.no_value"() {value} : () -> none
  %0 = "tfl.unidirectional_sequence_lstm"(%arg0, %w, %w, %w, %w, %r, %r, %r, %r, %n, %n, %n, %b, %b, %b, %b, %n, %n, %h, %c, %n, %n, %n, %n) {fused_activation_function = "TANH", time_major = true} : (tensor<2x1x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, none, none, none, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, none, none, tensor<1x2xf32>, tensor<1x2xf32>, none, none, none, none) -> tensor<*xf32>
  %1 = "tfl.quantize"(%0) {qtype = tensor<*x!quant.uniform<i8:f32, 0.0078125>>} : (tensor<*xf32>) -> tensor<*x!quant.uniform<i8:f32, 0.0078125>>
  %2 = "tfl.dequantize"(%1) : (tensor<*x!quant.uniform<i8:f32, 0.0078125>>) -> tensor<*xf32>
  return %2 : tensor<*xf32>
}

// With projection, the depth is n_output (3), not n_cell (2) nor n_input (5).
// CHECK-LABEL: func.func @lstm_projection(%arg0: tensor<1x4x5xf32>) -> tensor<1x4x3xf32>
// CHECK: "tfl.unidirectional_sequence_lstm"(%arg0, {{.*}}) -> tensor<1x4x3xf32>
func.func @lstm_projection(%arg0: tensor<1x4x5xf32>) -> tensor<*xf32> {
  %w = "tfl.pseudo_const"() {value = dense<5.000000e-01> : tensor<2x5xf32>} : () -> tensor<2x5xf32>
  %r = "tfl.pseudo_const"() {value = dense<2.500000e-01> : tensor<2x3xf32>} : () -> tensor<2x3xf32>
  %b = "tfl.pseudo_const"() {value = dense<1.000000e-01> : tensor<2xf32>} : () -> tensor<2xf32>
  %p = "tfl.pseudo_const"() {value = dense<1.000000e-01> : tensor<3x2xf32>} : () -> tensor<3x2xf32>
  %h = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.000000e+00> : tensor<1x3xf32>} : () -> tensor<1x3xf32>
  %c = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.000000e+00> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %n = "tfl.no_value"() {value} : () -> none
  %0 = "tfl.unidirectional_sequence_lstm"(%arg0, %w, %w, %w, %w, %r, %r, %r, %r, %n, %n, %n, %b, %b, %b, %b, %p, %n, %h, %c, %n, %n, %n, %n) {fused_activation_function = "TANH", time_major = false} : (tensor<1x4x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, none, none, none, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<3x2xf32>, none, tensor<1x3xf32>, tensor<1x2xf32>, none, none, none, none) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// conv_2d SAME stride 2: 8 -> 4; max_pool 2x2 VALID stride 2: 4 -> 2; reshape [1, -1] -> [1, 16];
// fully_connected [10, 16] -> [1, 10]; softmax keeps it. Depthwise VALID, dilation 2: 8 - 5 + 1 = 4.
// CHECK-LABEL: func.func @conv_chain(%arg0: tensor<1x8x8x3xf32>) -> (tensor<1x10xf32>, tensor<1x4x4x6xf32>)
// CHECK: [[C:%[0-9]+]] = "tfl.conv_2d"(%arg0, {{.*}}) -> tensor<1x4x4x4xf32>
// CHECK: [[P:%[0-9]+]] = "tfl.max_pool_2d"([[C]]) {{.*}} -> tensor<1x2x2x4xf32>
// CHECK: [[R:%[0-9]+]] = "tfl.reshape"([[P]], {{.*}}) -> tensor<1x16xf32>
// CHECK: [[F:%[0-9]+]] = "tfl.fully_connected"([[R]], {{.*}}) -> tensor<1x10xf32>
// CHECK: [[S:%[0-9]+]] = "tfl.softmax"([[F]]) {{.*}} -> tensor<1x10xf32>
// CHECK: [[DW:%[0-9]+]] = "tfl.depthwise_conv_2d"(%arg0, {{.*}}) -> tensor<1x4x4x6xf32>
// CHECK: return [[S]], [[DW]] : tensor<1x10xf32>, tensor<1x4x4x6xf32>
func.func @conv_chain(%arg0: tensor<1x8x8x3xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %k = "tfl.pseudo_const"() {value = dense<1.000000e-01> : tensor<4x3x3x3xf32>} : () -> tensor<4x3x3x3xf32>
  %kb = "tfl.pseudo_const"() {value = dense<0.000000e+00> : tensor<4xf32>} : () -> tensor<4xf32>
  %0 = "tfl.conv_2d"(%arg0, %k, %kb) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "RELU", padding = "SAME", stride_h = 2 : i32, stride_w = 2 : i32} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<*xf32>
  %1 = "tfl.max_pool_2d"(%0) {filter_height = 2 : i32, filter_width = 2 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 2 : i32, stride_w = 2 : i32} : (tensor<*xf32>) -> tensor<*xf32>
  %s = "tfl.pseudo_const"() {value = dense<[1, -1]> : tensor<2xi32>} : () -> tensor<2xi32>
  %2 = "tfl.reshape"(%1, %s) : (tensor<*xf32>, tensor<2xi32>) -> tensor<*xf32>
  %w = "tfl.pseudo_const"() {value = dense<1.000000e-01> : tensor<10x16xf32>} : () -> tensor<10x16xf32>
  %n = "tfl.no_value"() {value} : () -> none
  %3 = "tfl.fully_connected"(%2, %w, %n) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<*xf32>, tensor<10x16xf32>, none) -> tensor<*xf32>
  %4 = "tfl.softmax"(%3) {beta = 1.000000e+00 : f32} : (tensor<*xf32>) -> tensor<*xf32>
  %dk = "tfl.pseudo_const"() {value = dense<1.000000e-01> : tensor<1x3x3x6xf32>} : () -> tensor<1x3x3x6xf32>
  %5 = "tfl.depthwise_conv_2d"(%arg0, %dk, %n) {depth_multiplier = 2 : i32, dilation_h_factor = 2 : i32, dilation_w_factor = 2 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x8x8x3xf32>, tensor<1x3x3x6xf32>, none) -> tensor<*xf32>
  return %4, %5 : tensor<*xf32>, tensor<*xf32>
}

// Broadcasting [2, 1, 3] + [4, 1] -> [2, 4, 3]; concatenation on axis -1; mean over axis 1; a
// dynamic dim refined by broadcasting against a static one.
// CHECK-LABEL: func.func @broadcast(%arg0: tensor<2x1x3xf32>, %arg1: tensor<4x1xf32>, %arg2: tensor<?x3xf32>) -> (tensor<2x6xf32>, tensor<2x3xf32>)
// CHECK: [[A:%[0-9]+]] = "tfl.add"(%arg0, %arg1) {{.*}} -> tensor<2x4x3xf32>
// CHECK: [[C:%[0-9]+]] = "tfl.concatenation"([[A]], [[A]]) {{.*}} -> tensor<2x4x6xf32>
// CHECK: [[M:%[0-9]+]] = "tfl.mean"([[C]], {{.*}}) -> tensor<2x6xf32>
// CHECK: [[D:%[0-9]+]] = "tfl.mul"(%arg2, {{.*}}) -> tensor<2x3xf32>
// CHECK: return [[M]], [[D]] : tensor<2x6xf32>, tensor<2x3xf32>
func.func @broadcast(%arg0: tensor<2x1x3xf32>, %arg1: tensor<4x1xf32>, %arg2: tensor<?x3xf32>) -> (tensor<*xf32>, tensor<?x3xf32>) {
  %0 = "tfl.add"(%arg0, %arg1) {fused_activation_function = "NONE"} : (tensor<2x1x3xf32>, tensor<4x1xf32>) -> tensor<*xf32>
  %1 = "tfl.concatenation"(%0, %0) {axis = -1 : i32, fused_activation_function = "NONE"} : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  %ax = "tfl.pseudo_const"() {value = dense<1> : tensor<1xi32>} : () -> tensor<1xi32>
  %2 = "tfl.mean"(%1, %ax) {keep_dims = false} : (tensor<*xf32>, tensor<1xi32>) -> tensor<*xf32>
  %k = "tfl.pseudo_const"() {value = dense<2.000000e+00> : tensor<2x1xf32>} : () -> tensor<2x1xf32>
  %3 = "tfl.mul"(%arg2, %k) {fused_activation_function = "NONE"} : (tensor<?x3xf32>, tensor<2x1xf32>) -> tensor<?x3xf32>
  return %2, %3 : tensor<*xf32>, tensor<?x3xf32>
}

// A reshape by a runtime shape gets only its rank; an op without a shape function stays unranked.
// CHECK-LABEL: func.func @partial(%arg0: tensor<6xf32>, %arg1: tensor<2xi32>, %arg2: tensor<1xi32>) -> (tensor<?x?xf32>, tensor<*xf32>)
// CHECK: [[R:%[0-9]+]] = "tfl.reshape"(%arg0, %arg1) : (tensor<6xf32>, tensor<2xi32>) -> tensor<?x?xf32>
// CHECK: [[U:%[0-9]+]] = "tfl.relu"([[R]]) : (tensor<?x?xf32>) -> tensor<?x?xf32>
// CHECK: [[S:%[0-9]+]] = "tfl.strided_slice"(%arg0, {{.*}}) -> tensor<*xf32>
// CHECK: return [[U]], [[S]] : tensor<?x?xf32>, tensor<*xf32>
func.func @partial(%arg0: tensor<6xf32>, %arg1: tensor<2xi32>, %arg2: tensor<1xi32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = "tfl.reshape"(%arg0, %arg1) : (tensor<6xf32>, tensor<2xi32>) -> tensor<*xf32>
  %1 = "tfl.relu"(%0) : (tensor<*xf32>) -> tensor<*xf32>
  %2 = "tfl.strided_slice"(%arg0, %arg2, %arg2, %arg2) {begin_mask = 0 : i32, ellipsis_mask = 0 : i32, end_mask = 0 : i32, new_axis_mask = 0 : i32, shrink_axis_mask = 0 : i32} : (tensor<6xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<*xf32>
  return %1, %2 : tensor<*xf32>, tensor<*xf32>
}

// A call's results follow its callee's refined signature (the caller comes first: a second round).
// CHECK-LABEL: func.func @caller(%arg0: tensor<3xf32>) -> tensor<3xf32>
// CHECK: [[V:%[0-9]+]] = call @callee(%arg0) : (tensor<3xf32>) -> tensor<3xf32>
// CHECK: [[T:%[0-9]+]] = "tfl.tanh"([[V]]) : (tensor<3xf32>) -> tensor<3xf32>
// CHECK: return [[T]] : tensor<3xf32>
// CHECK-LABEL: func.func @callee(%arg0: tensor<3xf32>) -> tensor<3xf32>
func.func @caller(%arg0: tensor<3xf32>) -> tensor<*xf32> {
  %0 = call @callee(%arg0) : (tensor<3xf32>) -> tensor<*xf32>
  %1 = "tfl.tanh"(%0) : (tensor<*xf32>) -> tensor<*xf32>
  return %1 : tensor<*xf32>
}
func.func @callee(%arg0: tensor<3xf32>) -> tensor<*xf32> {
  %0 = "tfl.relu"(%arg0) : (tensor<3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// The verifier cannot see it (an unranked operand); the shape function can once relu is shaped.
// ERR: tfl-infer-shapes.mlir:[[@LINE+4]]:8: error: 'tfl.add' op cannot infer the shape of result #0: operand shapes [2, 3], [4, 3] are not broadcast-compatible
func.func @not_broadcastable(%arg0: tensor<2x3xf32>, %arg1: tensor<4x3xf32>) -> tensor<*xf32> {
  %0 = "tfl.relu"(%arg0) : (tensor<2x3xf32>) -> tensor<*xf32>
  // expected-error@+1 {{'tfl.add' op cannot infer the shape of result #0: operand shapes [2, 3], [4, 3] are not broadcast-compatible}}
  %1 = "tfl.add"(%0, %arg1) {fused_activation_function = "NONE"} : (tensor<*xf32>, tensor<4x3xf32>) -> tensor<*xf32>
  return %1 : tensor<*xf32>
}

// -----

// ERR: error: 'tfl.conv_2d' op cannot refine result #0: inferred shape [1, 4, 4, 4] conflicts with the declared shape [1, ?, 5, 4]
func.func @conflict(%arg0: tensor<1x8x8x3xf32>) -> tensor<1x?x5x4xf32> {
  %k = "tfl.pseudo_const"() {value = dense<1.000000e-01> : tensor<4x3x3x3xf32>} : () -> tensor<4x3x3x3xf32>
  %n = "tfl.no_value"() {value} : () -> none
  // expected-error@+1 {{'tfl.conv_2d' op cannot refine result #0: inferred shape [1, 4, 4, 4] conflicts with the declared shape [1, ?, 5, 4]}}
  %0 = "tfl.conv_2d"(%arg0, %k, %n) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 2 : i32, stride_w = 2 : i32} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x?x5x4xf32>
  return %0 : tensor<1x?x5x4xf32>
}

// -----

// ERR: error: 'tfl.reshape' op cannot infer the shape of result #0: cannot reshape 8 elements [2, 4] into [3, -1]
func.func @bad_reshape(%arg0: tensor<2x4xf32>) -> tensor<*xf32> {
  %s = "tfl.pseudo_const"() {value = dense<[3, -1]> : tensor<2xi32>} : () -> tensor<2xi32>
  // expected-error@+1 {{cannot reshape 8 elements [2, 4] into [3, -1]}}
  %0 = "tfl.reshape"(%arg0, %s) : (tensor<2x4xf32>, tensor<2xi32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// ERR: error: 'tfl.average_pool_2d' op cannot infer the shape of result #0: height: VALID padding: the window (3) is larger than the input (2)
func.func @window_too_large(%arg0: tensor<1x2x2x1xf32>) -> tensor<*xf32> {
  // expected-error@+1 {{height: VALID padding: the window (3) is larger than the input (2)}}
  %0 = "tfl.average_pool_2d"(%arg0) {filter_height = 3 : i32, filter_width = 3 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x2x2x1xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
