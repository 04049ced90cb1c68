// RUN: qopt %s --split-input-file --verify-diagnostics
// Each chunk holds one tfl op that its verifier rejects, with the stable message it reports.

module {
  func.func @fc_filter_rank(%arg0: tensor<2x4xf32>, %arg1: tensor<3x4x1xf32>, %arg2: tensor<3xf32>) {
    // expected-error@+1 {{'tfl.fully_connected' op expect 2d filter, got 3d}}
    %0 = "tfl.fully_connected"(%arg0, %arg1, %arg2) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<2x4xf32>, tensor<3x4x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    return
  }
}

// -----

module {
  func.func @fc_bias_size(%arg0: tensor<2x4xf32>, %arg1: tensor<3x4xf32>, %arg2: tensor<5xf32>) {
    // expected-error@+1 {{'tfl.fully_connected' op bias size (5) does not match the number of filter output channels (3)}}
    %0 = "tfl.fully_connected"(%arg0, %arg1, %arg2) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<5xf32>) -> tensor<2x3xf32>
    return
  }
}

// -----

module {
  func.func @conv_channels(%arg0: tensor<1x8x8x4xf32>, %arg1: tensor<6x3x3x3xf32>) {
    %none = "tfl.no_value"() {value} : () -> none
    // expected-error@+1 {{'tfl.conv_2d' op input channels (4) must be a multiple of the filter input channels (3)}}
    %0 = "tfl.conv_2d"(%arg0, %arg1, %none) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x8x8x4xf32>, tensor<6x3x3x3xf32>, none) -> tensor<1x8x8x6xf32>
    return
  }
}

// -----

module {
  func.func @conv_stride(%arg0: tensor<1x8x8x3xf32>, %arg1: tensor<6x3x3x3xf32>, %arg2: tensor<6xf32>) {
    // expected-error@+1 {{'tfl.conv_2d' op stride_w must be positive, got 0}}
    %0 = "tfl.conv_2d"(%arg0, %arg1, %arg2) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 0 : i32} : (tensor<1x8x8x3xf32>, tensor<6x3x3x3xf32>, tensor<6xf32>) -> tensor<1x8x8x6xf32>
    return
  }
}

// -----

module {
  func.func @depthwise_multiplier(%arg0: tensor<1x8x8x4xf32>, %arg1: tensor<1x3x3x4xf32>, %arg2: tensor<4xf32>) {
    // expected-error@+1 {{'tfl.depthwise_conv_2d' op filter channels (4) must equal input channels (4) times depth_multiplier (2)}}
    %0 = "tfl.depthwise_conv_2d"(%arg0, %arg1, %arg2) {depth_multiplier = 2 : i32, dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x8x8x4xf32>, tensor<1x3x3x4xf32>, tensor<4xf32>) -> tensor<1x8x8x4xf32>
    return
  }
}

// -----

module {
  func.func @transpose_conv_channels(%arg0: tensor<4xi32>, %arg1: tensor<6x3x3x4xf32>, %arg2: tensor<1x4x4x3xf32>) {
    %none = "tfl.no_value"() {value} : () -> none
    // expected-error@+1 {{'tfl.transpose_conv' op input channels (3) do not match the weights input channels (4)}}
    %0 = "tfl.transpose_conv"(%arg0, %arg1, %arg2, %none) {fused_activation_function = "NONE", padding = "SAME", stride_h = 2 : i32, stride_w = 2 : i32} : (tensor<4xi32>, tensor<6x3x3x4xf32>, tensor<1x4x4x3xf32>, none) -> tensor<1x8x8x6xf32>
    return
  }
}

// -----

module {
  func.func @pool_rank(%arg0: tensor<4x4x2xf32>) {
    // expected-error@+1 {{'tfl.max_pool_2d' op expect 4d input, got 3d}}
    %0 = "tfl.max_pool_2d"(%arg0) {filter_height = 2 : i32, filter_width = 2 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<4x4x2xf32>) -> tensor<3x3x2xf32>
    return
  }
}

// -----

module {
  func.func @add_broadcast(%arg0: tensor<2x3xf32>, %arg1: tensor<2xf32>) {
    // expected-error@+1 {{'tfl.add' op operands don't have broadcast-compatible shapes}}
    %0 = "tfl.add"(%arg0, %arg1) {fused_activation_function = "NONE"} : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
    return
  }
}

// -----

module {
  func.func @mul_element_types(%arg0: tensor<2xf32>, %arg1: tensor<2xi32>) {
    // expected-error@+1 {{'tfl.mul' op operands #0 and #1 have different element types}}
    %0 = "tfl.mul"(%arg0, %arg1) {fused_activation_function = "NONE"} : (tensor<2xf32>, tensor<2xi32>) -> tensor<2xf32>
    return
  }
}

// -----

module {
  func.func @less_result(%arg0: tensor<2xf32>, %arg1: tensor<2xf32>) {
    // expected-error@+1 {{'tfl.less' op result must have i1 elements}}
    %0 = "tfl.less"(%arg0, %arg1) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    return
  }
}

// -----

module {
  func.func @reshape_count(%arg0: tensor<2x6xf32>) {
    %shape = "tfl.pseudo_const"() {value = dense<[3, 5]> : tensor<2xi32>} : () -> tensor<2xi32>
    // expected-error@+1 {{'tfl.reshape' op input element count (12) does not match result element count (15)}}
    %0 = "tfl.reshape"(%arg0, %shape) : (tensor<2x6xf32>, tensor<2xi32>) -> tensor<3x5xf32>
    return
  }
}

// -----

module {
  func.func @reshape_shape_operand(%arg0: tensor<2x6xf32>) {
    %shape = "tfl.pseudo_const"() {value = dense<[4, 3]> : tensor<2xi32>} : () -> tensor<2xi32>
    // expected-error@+1 {{'tfl.reshape' op result shape does not match the shape operand [4, 3]}}
    %0 = "tfl.reshape"(%arg0, %shape) : (tensor<2x6xf32>, tensor<2xi32>) -> tensor<3x4xf32>
    return
  }
}

// -----

module {
  func.func @transpose_perm(%arg0: tensor<2x3x4xf32>) {
    %perm = "tfl.pseudo_const"() {value = dense<[0, 0, 1]> : tensor<3xi32>} : () -> tensor<3xi32>
    // expected-error@+1 {{'tfl.transpose' op perm [0, 0, 1] is not a permutation}}
    %0 = "tfl.transpose"(%arg0, %perm) : (tensor<2x3x4xf32>, tensor<3xi32>) -> tensor<2x2x3xf32>
    return
  }
}

// -----

module {
  func.func @concatenation_axis(%arg0: tensor<2x3xf32>, %arg1: tensor<2x5xf32>) {
    // expected-error@+1 {{'tfl.concatenation' op axis 2 is out of range for rank 2}}
    %0 = "tfl.concatenation"(%arg0, %arg1) {axis = 2 : i32, fused_activation_function = "NONE"} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
    return
  }
}

// -----

module {
  func.func @concatenation_sum(%arg0: tensor<2x3xf32>, %arg1: tensor<2x5xf32>) {
    // expected-error@+1 {{'tfl.concatenation' op result dimension 1 (9) is not the sum of the operand dimensions (8)}}
    %0 = "tfl.concatenation"(%arg0, %arg1) {axis = 1 : i32, fused_activation_function = "NONE"} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x9xf32>
    return
  }
}

// -----

module {
  func.func @split_count(%arg0: tensor<4x6xf32>) {
    %dim = "tfl.pseudo_const"() {value = dense<1> : tensor<i32>} : () -> tensor<i32>
    // expected-error@+1 {{'tfl.split' op num_splits (3) does not match the number of results (2)}}
    %0:2 = "tfl.split"(%dim, %arg0) {num_splits = 3 : i32} : (tensor<i32>, tensor<4x6xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>)
    return
  }
}

// -----

module {
  func.func @pack_count(%arg0: tensor<3xf32>) {
    // expected-error@+1 {{'tfl.pack' op values_count (3) does not match the number of operands (2)}}
    %0 = "tfl.pack"(%arg0, %arg0) {axis = 0 : i32, values_count = 3 : i32} : (tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    return
  }
}

// -----

module {
  func.func @squeeze_dim(%arg0: tensor<1x3x1xf32>) {
    // expected-error@+1 {{'tfl.squeeze' op cannot squeeze dimension 1 of size 3}}
    %0 = "tfl.squeeze"(%arg0) {squeeze_dims = [1]} : (tensor<1x3x1xf32>) -> tensor<1x1xf32>
    return
  }
}

// -----

module {
  func.func @pad_rows(%arg0: tensor<2x3xf32>, %arg1: tensor<3x2xi32>) {
    // expected-error@+1 {{'tfl.pad' op padding has 3 rows, expected 2 (the input rank)}}
    %0 = "tfl.pad"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<3x2xi32>) -> tensor<4x5xf32>
    return
  }
}

// -----

module {
  func.func @gather_axis(%arg0: tensor<4x6xf32>, %arg1: tensor<5xi32>) {
    // expected-error@+1 {{'tfl.gather' op axis 2 is out of range for 2d params}}
    %0 = "tfl.gather"(%arg0, %arg1) {axis = 2 : i32} : (tensor<4x6xf32>, tensor<5xi32>) -> tensor<5x6xf32>
    return
  }
}

// -----

module {
  func.func @quantize_float_result(%arg0: tensor<4xf32>) {
    // expected-error@+1 {{'tfl.quantize' op result must have a quantized element type}}
    %0 = "tfl.quantize"(%arg0) {qtype = tensor<4xf32>} : (tensor<4xf32>) -> tensor<4xf32>
    return
  }
}

// -----

module {
  func.func @quantize_qtype(%arg0: tensor<4xf32>) {
    // expected-error@+1 {{'tfl.quantize' op qtype (tensor<4x!quant.uniform<i8:f32, 2.500000e-01>>) does not match the result type}}
    %0 = "tfl.quantize"(%arg0) {qtype = tensor<4x!quant.uniform<i8:f32, 2.500000e-01>>} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
    return
  }
}

// -----

module {
  func.func @dequantize_float(%arg0: tensor<4xf32>) {
    // expected-error@+1 {{'tfl.dequantize' op operand must have a quantized (or f16) element type}}
    %0 = "tfl.dequantize"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
    return
  }
}

// -----

module {
  func.func @softmax_rank(%arg0: tensor<f32>) {
    // expected-error@+1 {{'tfl.softmax' op expect input of rank >= 1, got 0d}}
    %0 = "tfl.softmax"(%arg0) {beta = 1.000000e+00 : f32} : (tensor<f32>) -> tensor<f32>
    return
  }
}

// -----

module {
  func.func @batch_matmul_contracting(%arg0: tensor<2x3x4xf32>, %arg1: tensor<2x5x4xf32>) {
    // expected-error@+1 {{'tfl.batch_matmul' op contracting dimensions differ: x has 4, y has 5}}
    %0 = "tfl.batch_matmul"(%arg0, %arg1) : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x4xf32>
    return
  }
}

// -----

module {
  func.func @resize_flags(%arg0: tensor<1x4x4x3xf32>, %arg1: tensor<2xi32>) {
    // expected-error@+1 {{'tfl.resize_bilinear' op align_corners and half_pixel_centers cannot both be true}}
    %0 = "tfl.resize_bilinear"(%arg0, %arg1) {align_corners = true, half_pixel_centers = true} : (tensor<1x4x4x3xf32>, tensor<2xi32>) -> tensor<1x8x8x3xf32>
    return
  }
}

// -----

module {
  func.func @shape_size(%arg0: tensor<1x4x4x3xf32>) {
    // expected-error@+1 {{'tfl.shape' op result has 3 elements, expected 4 (the input rank)}}
    %0 = "tfl.shape"(%arg0) : (tensor<1x4x4x3xf32>) -> tensor<3xi32>
    return
  }
}

// -----

module {
  func.func @arg_max_result(%arg0: tensor<2x5xf32>, %arg1: tensor<1xi32>) {
    // expected-error@+1 {{'tfl.arg_max' op result must have i32 or i64 elements}}
    %0 = "tfl.arg_max"(%arg0, %arg1) : (tensor<2x5xf32>, tensor<1xi32>) -> tensor<2xf32>
    return
  }
}

// -----

module {
  func.func @mean_rank(%arg0: tensor<2x3x4xf32>) {
    %axes = "tfl.pseudo_const"() {value = dense<[1, 2]> : tensor<2xi32>} : () -> tensor<2xi32>
    // expected-error@+1 {{'tfl.mean' op expect 1d result, got 3d}}
    %0 = "tfl.mean"(%arg0, %axes) {keep_dims = false} : (tensor<2x3x4xf32>, tensor<2xi32>) -> tensor<2x1x1xf32>
    return
  }
}

// -----

module {
  func.func @const_type() {
    // expected-error@+1 {{'tfl.pseudo_const' op value type (tensor<2xi32>) does not match the result type (tensor<2xf32>)}}
    %0 = "tfl.pseudo_const"() {value = dense<[1, 2]> : tensor<2xi32>} : () -> tensor<2xf32>
    return
  }
}

// -----

module {
  func.func @qconst_storage() {
    // expected-error@+1 {{'tfl.pseudo_qconst' op value elements (i32) must be the storage type i8}}
    %0 = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i8:f32, 5.000000e-01:-3>>, value = dense<[1, 2]> : tensor<2xi32>} : () -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01:-3>>
    return
  }
}

// -----

module {
  func.func @no_value_type() {
    // expected-error@+1 {{'tfl.no_value' op result must be of type none}}
    %0 = "tfl.no_value"() {value} : () -> tensor<f32>
    return
  }
}

// -----

module {
  func.func @lstm_input_rank(%arg0: tensor<1x3xf32>, %arg1: tensor<4x3xf32>, %arg2: tensor<4x4xf32>, %arg3: tensor<4xf32>, %arg4: tensor<1x4xf32>, %arg5: tensor<1x4xf32>) {
    %none = "tfl.no_value"() {value} : () -> none
    // expected-error@+1 {{'tfl.unidirectional_sequence_lstm' op expect 3d input, got 2d}}
    %0 = "tfl.unidirectional_sequence_lstm"(%arg0, %arg1, %arg1, %arg1, %arg1, %arg2, %arg2, %arg2, %arg2, %none, %none, %none, %arg3, %arg3, %arg3, %arg3, %none, %none, %arg4, %arg5, %none, %none, %none, %none) {fused_activation_function = "TANH", time_major = false} : (tensor<1x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, none, none, none, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, none, none, tensor<1x4xf32>, tensor<1x4xf32>, none, none, none, none) -> tensor<1x4xf32>
    return
  }
}

// -----

module {
  func.func @lstm_cifg(%arg0: tensor<1x2x3xf32>, %arg1: tensor<4x3xf32>, %arg2: tensor<4x4xf32>, %arg3: tensor<4xf32>, %arg4: tensor<1x4xf32>, %arg5: tensor<1x4xf32>) {
    %none = "tfl.no_value"() {value} : () -> none
    // expected-error@+1 {{'tfl.unidirectional_sequence_lstm' op with CIFG (input_to_input_weights is none), recurrent_to_input_weights must be none too}}
    %0 = "tfl.unidirectional_sequence_lstm"(%arg0, %none, %arg1, %arg1, %arg1, %arg2, %arg2, %arg2, %arg2, %none, %none, %none, %arg3, %arg3, %arg3, %arg3, %none, %none, %arg4, %arg5, %none, %none, %none, %none) {fused_activation_function = "TANH", time_major = false} : (tensor<1x2x3xf32>, none, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, none, none, none, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, none, none, tensor<1x4xf32>, tensor<1x4xf32>, none, none, none, none) -> tensor<1x2x4xf32>
    return
  }
}

// -----

module {
  func.func @lstm_projection_bias(%arg0: tensor<1x2x3xf32>, %arg1: tensor<4x3xf32>, %arg2: tensor<4x4xf32>, %arg3: tensor<4xf32>, %arg4: tensor<1x4xf32>, %arg5: tensor<1x4xf32>) {
    %none = "tfl.no_value"() {value} : () -> none
    // expected-error@+1 {{'tfl.unidirectional_sequence_lstm' op projection_bias requires projection_weights}}
    %0 = "tfl.unidirectional_sequence_lstm"(%arg0, %arg1, %arg1, %arg1, %arg1, %arg2, %arg2, %arg2, %arg2, %none, %none, %none, %arg3, %arg3, %arg3, %arg3, %none, %arg3, %arg4, %arg5, %none, %none, %none, %none) {fused_activation_function = "TANH", time_major = false} : (tensor<1x2x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, none, none, none, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, none, tensor<4xf32>, tensor<1x4xf32>, tensor<1x4xf32>, none, none, none, none) -> tensor<1x2x4xf32>
    return
  }
}

// -----

module {
  func.func @lstm_kernel_type(%arg0: tensor<1x3xf32>, %arg1: tensor<4x3xf32>, %arg2: tensor<4x4xf32>, %arg3: tensor<4xf32>, %arg4: tensor<1x4xf32>, %arg5: tensor<1x4xf32>) {
    %none = "tfl.no_value"() {value} : () -> none
    // expected-error@+1 {{'tfl.lstm' op kernel_type must be FULL, got BASIC}}
    %0 = "tfl.lstm"(%arg0, %arg1, %arg1, %arg1, %arg1, %arg2, %arg2, %arg2, %arg2, %none, %none, %none, %arg3, %arg3, %arg3, %arg3, %none, %none, %arg4, %arg5, %none, %none, %none, %none) {fused_activation_function = "TANH", kernel_type = "BASIC"} : (tensor<1x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, none, none, none, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, none, none, tensor<1x4xf32>, tensor<1x4xf32>, none, none, none, none) -> tensor<1x4xf32>
    return
  }
}

// -----

module {
  func.func @svdf_rank(%arg0: tensor<2x10xf32>, %arg1: tensor<8x10xf32>, %arg2: tensor<8x5xf32>, %arg3: tensor<4xf32>, %arg4: tensor<2x40xf32>) {
    // expected-error@+1 {{'tfl.svdf' op feature_weights rows (8) must be a multiple of rank (3)}}
    %0 = "tfl.svdf"(%arg0, %arg1, %arg2, %arg3, %arg4) {fused_activation_function = "NONE", rank = 3 : i32} : (tensor<2x10xf32>, tensor<8x10xf32>, tensor<8x5xf32>, tensor<4xf32>, tensor<2x40xf32>) -> tensor<2x4xf32>
    return
  }
}

// -----

module {
  func.func @custom_code(%arg0: tensor<2xf32>) {
    // expected-error@+1 {{'tfl.custom' op custom_code must not be empty}}
    %0 = "tfl.custom"(%arg0) {custom_code = ""} : (tensor<2xf32>) -> tensor<2xf32>
    return
  }
}

// -----

module {
  func.func @while_results(%arg0: tensor<i32>) {
    // expected-error@+1 {{'tfl.while' op expects as many results (2) as operands (1)}}
    %0:2 = "tfl.while"(%arg0) ({
    ^bb0(%a: tensor<i32>):
      %c = "tfl.pseudo_const"() {value = dense<true> : tensor<i1>} : () -> tensor<i1>
      "tfl.yield"(%c) : (tensor<i1>) -> ()
    }, {
    ^bb0(%a: tensor<i32>):
      "tfl.yield"(%a) : (tensor<i32>) -> ()
    }) : (tensor<i32>) -> (tensor<i32>, tensor<i32>)
    return
  }
}

// -----

module {
  func.func @while_body_yield(%arg0: tensor<i32>) {
    // expected-error@+1 {{'tfl.while' op body region must yield 1 value, got 2}}
    %0 = "tfl.while"(%arg0) ({
    ^bb0(%a: tensor<i32>):
      %c = "tfl.pseudo_const"() {value = dense<true> : tensor<i1>} : () -> tensor<i1>
      "tfl.yield"(%c) : (tensor<i1>) -> ()
    }, {
    ^bb0(%a: tensor<i32>):
      "tfl.yield"(%a, %a) : (tensor<i32>, tensor<i32>) -> ()
    }) : (tensor<i32>) -> tensor<i32>
    return
  }
}

// -----

module {
  func.func @if_cond(%arg0: tensor<i32>, %arg1: tensor<4xf32>) {
    // expected-error@+1 {{'tfl.if' op cond must have i1 elements}}
    %0 = "tfl.if"(%arg0) ({
      "tfl.yield"(%arg1) : (tensor<4xf32>) -> ()
    }, {
      "tfl.yield"(%arg1) : (tensor<4xf32>) -> ()
    }) : (tensor<i32>) -> tensor<4xf32>
    return
  }
}
