// RUN: qopt %s --passes=tfl-fuse | filecheck %s
// The tfl-fuse patterns, one function per pattern (plus the cases they must leave alone).
// test/passes/tfl-fuse.test.ts runs every function here in the interpreter before and after the
// pass and checks the outputs do not change (float: within 1e-5 relative).

module {
// ---- fused activations ------------------------------------------------------------------------

// CHECK-LABEL: func.func @relu_into_fully_connected(
// CHECK: [[V:%.*]] = "tfl.fully_connected"(%arg0, {{.*}}) {fused_activation_function = "RELU", keep_num_dims = false, weights_format = "DEFAULT"}
// CHECK-NOT: "tfl.relu"
// CHECK: return [[V]]
  func.func @relu_into_fully_connected(%arg0: tensor<2x3xf32>) -> tensor<2x4xf32> {
    %w = "tfl.pseudo_const"() {value = dense<[[0.5, -1.0, 0.25], [1.5, 0.5, -0.75], [-0.5, 2.0, 1.0], [0.125, -0.25, 0.5]]> : tensor<4x3xf32>} : () -> tensor<4x3xf32>
    %b = "tfl.pseudo_const"() {value = dense<[0.1, -0.2, 0.3, -0.4]> : tensor<4xf32>} : () -> tensor<4xf32>
    %0 = "tfl.fully_connected"(%arg0, %w, %b) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
    %1 = "tfl.relu"(%0) : (tensor<2x4xf32>) -> tensor<2x4xf32>
    return %1 : tensor<2x4xf32>
  }

// CHECK-LABEL: func.func @relu6_into_conv_2d(
// CHECK: [[V:%.*]] = "tfl.conv_2d"(%arg0, {{.*}}) {{.*}}fused_activation_function = "RELU6"
// CHECK-NOT: "tfl.relu6"
// CHECK: return [[V]]
  func.func @relu6_into_conv_2d(%arg0: tensor<1x3x3x2xf32>) -> tensor<1x2x2x2xf32> {
    %w = "tfl.pseudo_const"() {value = dense<[[[[1.0, -2.0], [0.5, 3.0]], [[-1.5, 2.5], [4.0, -0.5]]], [[[2.0, 1.0], [-3.0, 0.25]], [[0.75, -1.25], [1.5, 2.0]]]]> : tensor<2x2x2x2xf32>} : () -> tensor<2x2x2x2xf32>
    %b = "tfl.pseudo_const"() {value = dense<[0.5, -0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
    %0 = "tfl.conv_2d"(%arg0, %w, %b) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x3x3x2xf32>, tensor<2x2x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
    %1 = "tfl.relu6"(%0) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
    return %1 : tensor<1x2x2x2xf32>
  }

// CHECK-LABEL: func.func @relu_n1_to_1_into_depthwise_conv_2d(
// CHECK: [[V:%.*]] = "tfl.depthwise_conv_2d"(%arg0, {{.*}}) {{.*}}fused_activation_function = "RELU_N1_TO_1"
// CHECK-NOT: "tfl.relu_n1_to_1"
// CHECK: return [[V]]
  func.func @relu_n1_to_1_into_depthwise_conv_2d(%arg0: tensor<1x3x3x2xf32>) -> tensor<1x2x2x2xf32> {
    %w = "tfl.pseudo_const"() {value = dense<[[[[0.5, -0.25], [0.75, 0.5]], [[-0.5, 0.25], [0.125, -0.75]]]]> : tensor<1x2x2x2xf32>} : () -> tensor<1x2x2x2xf32>
    %b = "tfl.pseudo_const"() {value = dense<[0.1, -0.1]> : tensor<2xf32>} : () -> tensor<2xf32>
    %0 = "tfl.depthwise_conv_2d"(%arg0, %w, %b) {depth_multiplier = 1 : i32, dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x3x3x2xf32>, tensor<1x2x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
    %1 = "tfl.relu_n1_to_1"(%0) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
    return %1 : tensor<1x2x2x2xf32>
  }

// CHECK-LABEL: func.func @relu_into_add(
// CHECK: [[V:%.*]] = "tfl.add"(%arg0, %arg1) {fused_activation_function = "RELU"}
// CHECK-NOT: "tfl.relu"
// CHECK: return [[V]]
  func.func @relu_into_add(%arg0: tensor<2x3xf32>, %arg1: tensor<3xf32>) -> tensor<2x3xf32> {
    %0 = "tfl.add"(%arg0, %arg1) {fused_activation_function = "NONE"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    %1 = "tfl.relu"(%0) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    return %1 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @relu6_into_sub(
// CHECK: [[V:%.*]] = "tfl.sub"(%arg0, %arg1) {fused_activation_function = "RELU6"}
// CHECK-NOT: "tfl.relu6"
// CHECK: return [[V]]
  func.func @relu6_into_sub(%arg0: tensor<2x3xf32>, %arg1: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %0 = "tfl.sub"(%arg0, %arg1) {fused_activation_function = "NONE"} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    %1 = "tfl.relu6"(%0) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    return %1 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @relu_n1_to_1_into_mul(
// CHECK: [[V:%.*]] = "tfl.mul"(%arg0, %arg1) {fused_activation_function = "RELU_N1_TO_1"}
// CHECK-NOT: "tfl.relu_n1_to_1"
// CHECK: return [[V]]
  func.func @relu_n1_to_1_into_mul(%arg0: tensor<2x3xf32>, %arg1: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %0 = "tfl.mul"(%arg0, %arg1) {fused_activation_function = "NONE"} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    %1 = "tfl.relu_n1_to_1"(%0) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    return %1 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @relu_into_average_pool_2d(
// CHECK: [[V:%.*]] = "tfl.average_pool_2d"(%arg0) {{.*}}fused_activation_function = "RELU"
// CHECK-NOT: "tfl.relu"
// CHECK: return [[V]]
  func.func @relu_into_average_pool_2d(%arg0: tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> {
    %0 = "tfl.average_pool_2d"(%arg0) {filter_height = 2 : i32, filter_width = 2 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 2 : i32, stride_w = 2 : i32} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
    %1 = "tfl.relu"(%0) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
    return %1 : tensor<1x2x2x2xf32>
  }

// CHECK-LABEL: func.func @relu6_into_max_pool_2d(
// CHECK: [[V:%.*]] = "tfl.max_pool_2d"(%arg0) {{.*}}fused_activation_function = "RELU6"
// CHECK-NOT: "tfl.relu6"
// CHECK: return [[V]]
  func.func @relu6_into_max_pool_2d(%arg0: tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> {
    %0 = "tfl.max_pool_2d"(%arg0) {filter_height = 2 : i32, filter_width = 2 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 2 : i32, stride_w = 2 : i32} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
    %1 = "tfl.relu6"(%0) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
    return %1 : tensor<1x2x2x2xf32>
  }

// relu6(relu(x)) = relu6(x): the activations compose.
// CHECK-LABEL: func.func @relu6_after_fused_relu(
// CHECK: [[V:%.*]] = "tfl.add"(%arg0, %arg1) {fused_activation_function = "RELU6"}
// CHECK-NOT: "tfl.relu6"
// CHECK: return [[V]]
  func.func @relu6_after_fused_relu(%arg0: tensor<2x3xf32>, %arg1: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %0 = "tfl.add"(%arg0, %arg1) {fused_activation_function = "RELU"} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    %1 = "tfl.relu6"(%0) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    return %1 : tensor<2x3xf32>
  }

// TFLite ignores (add, conv, pool) or rejects (fully_connected) a fused TANH: tanh stays an op.
// CHECK-LABEL: func.func @tanh_is_not_fused(
// CHECK: "tfl.fully_connected"{{.*}}fused_activation_function = "NONE"
// CHECK: "tfl.tanh"
  func.func @tanh_is_not_fused(%arg0: tensor<2x3xf32>) -> tensor<2x4xf32> {
    %w = "tfl.pseudo_const"() {value = dense<[[0.5, -1.0, 0.25], [1.5, 0.5, -0.75], [-0.5, 2.0, 1.0], [0.125, -0.25, 0.5]]> : tensor<4x3xf32>} : () -> tensor<4x3xf32>
    %n = "tfl.no_value"() {value} : () -> none
    %0 = "tfl.fully_connected"(%arg0, %w, %n) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<2x3xf32>, tensor<4x3xf32>, none) -> tensor<2x4xf32>
    %1 = "tfl.tanh"(%0) : (tensor<2x4xf32>) -> tensor<2x4xf32>
    return %1 : tensor<2x4xf32>
  }

// TFLite's concatenation rejects any fused activation: relu stays an op.
// CHECK-LABEL: func.func @nothing_fused_into_concatenation(
// CHECK: "tfl.concatenation"{{.*}}fused_activation_function = "NONE"
// CHECK: "tfl.relu"
  func.func @nothing_fused_into_concatenation(%arg0: tensor<2x3xf32>, %arg1: tensor<2x3xf32>) -> tensor<2x6xf32> {
    %0 = "tfl.concatenation"(%arg0, %arg1) {axis = 1 : i32, fused_activation_function = "NONE"} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
    %1 = "tfl.relu"(%0) : (tensor<2x6xf32>) -> tensor<2x6xf32>
    return %1 : tensor<2x6xf32>
  }

// The intermediate has a second use: nothing is fused.
// CHECK-LABEL: func.func @no_fusion_with_two_uses(
// CHECK: [[A:%.*]] = "tfl.add"(%arg0, %arg1) {fused_activation_function = "NONE"}
// CHECK: [[R:%.*]] = "tfl.relu"([[A]])
// CHECK: return [[R]], [[A]]
  func.func @no_fusion_with_two_uses(%arg0: tensor<2x3xf32>, %arg1: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
    %0 = "tfl.add"(%arg0, %arg1) {fused_activation_function = "NONE"} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    %1 = "tfl.relu"(%0) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    return %1, %0 : tensor<2x3xf32>, tensor<2x3xf32>
  }

// Quantized tensors are left alone.
// CHECK-LABEL: func.func @no_fusion_when_quantized(
// CHECK: "tfl.add"{{.*}}fused_activation_function = "NONE"
// CHECK: "tfl.relu"
  func.func @no_fusion_when_quantized(%arg0: tensor<2x3x!quant.uniform<i8:f32, 0.05:-3>>, %arg1: tensor<2x3x!quant.uniform<i8:f32, 0.05:-3>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.1:-128>> {
    %0 = "tfl.add"(%arg0, %arg1) {fused_activation_function = "NONE"} : (tensor<2x3x!quant.uniform<i8:f32, 0.05:-3>>, tensor<2x3x!quant.uniform<i8:f32, 0.05:-3>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.1:-128>>
    %1 = "tfl.relu"(%0) : (tensor<2x3x!quant.uniform<i8:f32, 0.1:-128>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.1:-128>>
    return %1 : tensor<2x3x!quant.uniform<i8:f32, 0.1:-128>>
  }

// ---- bias add and batch-norm folding ----------------------------------------------------------

// CHECK-LABEL: func.func @bias_add_into_fully_connected(
// CHECK: [[B:%.*]] = "tfl.pseudo_const"() {value = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>}
// CHECK: [[V:%.*]] = "tfl.fully_connected"(%arg0, {{.*}}, [[B]]) {fused_activation_function = "RELU"
// CHECK-NOT: "tfl.add"
// CHECK: return [[V]]
  func.func @bias_add_into_fully_connected(%arg0: tensor<2x3xf32>) -> tensor<2x4xf32> {
    %w = "tfl.pseudo_const"() {value = dense<[[0.5, -1.0, 0.25], [1.5, 0.5, -0.75], [-0.5, 2.0, 1.0], [0.125, -0.25, 0.5]]> : tensor<4x3xf32>} : () -> tensor<4x3xf32>
    %n = "tfl.no_value"() {value} : () -> none
    %c = "tfl.pseudo_const"() {value = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>} : () -> tensor<4xf32>
    %0 = "tfl.fully_connected"(%arg0, %w, %n) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<2x3xf32>, tensor<4x3xf32>, none) -> tensor<2x4xf32>
    %1 = "tfl.add"(%0, %c) {fused_activation_function = "RELU"} : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
    return %1 : tensor<2x4xf32>
  }

// The constant on the left and a [1, 1, 1, C] shape; the zero bias is replaced.
// CHECK-LABEL: func.func @bias_add_into_conv_2d(
// CHECK: [[B:%.*]] = "tfl.pseudo_const"() {value = dense<[2.500000e-01, -7.500000e-01]> : tensor<2xf32>}
// CHECK: [[V:%.*]] = "tfl.conv_2d"(%arg0, {{.*}}, [[B]])
// CHECK-NOT: "tfl.add"
// CHECK: return [[V]]
  func.func @bias_add_into_conv_2d(%arg0: tensor<1x3x3x2xf32>) -> tensor<1x2x2x2xf32> {
    %w = "tfl.pseudo_const"() {value = dense<[[[[1.0, -2.0], [0.5, 3.0]], [[-1.5, 2.5], [4.0, -0.5]]], [[[2.0, 1.0], [-3.0, 0.25]], [[0.75, -1.25], [1.5, 2.0]]]]> : tensor<2x2x2x2xf32>} : () -> tensor<2x2x2x2xf32>
    %z = "tfl.pseudo_const"() {value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
    %c = "tfl.pseudo_const"() {value = dense<[[[[0.25, -0.75]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
    %0 = "tfl.conv_2d"(%arg0, %w, %z) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x3x3x2xf32>, tensor<2x2x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
    %1 = "tfl.add"(%c, %0) {fused_activation_function = "NONE"} : (tensor<1x1x1x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
    return %1 : tensor<1x2x2x2xf32>
  }

// Batch norm after a convolution: y = conv(x, w, b) * s + t -> conv(x, w * s, b * s + t).
// CHECK-LABEL: func.func @batch_norm_into_conv_2d(
// CHECK: [[W:%.*]] = "tfl.pseudo_const"() {value = dense<{{\[\[\[\[}}2.000000e+00, -4.000000e+00], [1.000000e+00, 6.000000e+00]], {{.*}} : tensor<2x2x2x2xf32>}
// CHECK: [[B:%.*]] = "tfl.pseudo_const"() {value = dense<[1.100000e+00, 2.000000e+00]> : tensor<2xf32>}
// CHECK: [[V:%.*]] = "tfl.conv_2d"(%arg0, [[W]], [[B]]) {{.*}}fused_activation_function = "RELU"
// CHECK-NOT: "tfl.mul"
// CHECK-NOT: "tfl.add"
// CHECK: return [[V]]
  func.func @batch_norm_into_conv_2d(%arg0: tensor<1x3x3x2xf32>) -> tensor<1x2x2x2xf32> {
    %w = "tfl.pseudo_const"() {value = dense<[[[[1.0, -2.0], [0.5, 3.0]], [[-1.5, 2.5], [4.0, -0.5]]], [[[2.0, 1.0], [-3.0, 0.25]], [[0.75, -1.25], [1.5, 2.0]]]]> : tensor<2x2x2x2xf32>} : () -> tensor<2x2x2x2xf32>
    %b = "tfl.pseudo_const"() {value = dense<[0.5, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
    %s = "tfl.pseudo_const"() {value = dense<[2.0, 0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
    %t = "tfl.pseudo_const"() {value = dense<[0.1, 1.5]> : tensor<2xf32>} : () -> tensor<2xf32>
    %0 = "tfl.conv_2d"(%arg0, %w, %b) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x3x3x2xf32>, tensor<2x2x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
    %1 = "tfl.mul"(%0, %s) {fused_activation_function = "NONE"} : (tensor<1x2x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
    %2 = "tfl.add"(%1, %t) {fused_activation_function = "RELU"} : (tensor<1x2x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
    return %2 : tensor<1x2x2x2xf32>
  }

// A per-channel scale folds into depthwise weights along their last axis.
// CHECK-LABEL: func.func @mul_into_depthwise_conv_2d(
// CHECK: [[W:%.*]] = "tfl.pseudo_const"() {value = dense<{{\[\[\[\[}}1.500000e+00, -1.000000e+00], [2.250000e+00, 2.000000e+00]], {{.*}} : tensor<1x2x2x2xf32>}
// CHECK: [[B:%.*]] = "tfl.pseudo_const"() {value = dense<[3.000000e-01, -4.000000e-01]> : tensor<2xf32>}
// CHECK: [[V:%.*]] = "tfl.depthwise_conv_2d"(%arg0, [[W]], [[B]])
// CHECK-NOT: "tfl.mul"
// CHECK: return [[V]]
  func.func @mul_into_depthwise_conv_2d(%arg0: tensor<1x3x3x2xf32>) -> tensor<1x2x2x2xf32> {
    %w = "tfl.pseudo_const"() {value = dense<[[[[0.5, -0.25], [0.75, 0.5]], [[-0.5, 0.25], [0.125, -0.75]]]]> : tensor<1x2x2x2xf32>} : () -> tensor<1x2x2x2xf32>
    %b = "tfl.pseudo_const"() {value = dense<[0.1, -0.1]> : tensor<2xf32>} : () -> tensor<2xf32>
    %s = "tfl.pseudo_const"() {value = dense<[3.0, 4.0]> : tensor<2xf32>} : () -> tensor<2xf32>
    %0 = "tfl.depthwise_conv_2d"(%arg0, %w, %b) {depth_multiplier = 1 : i32, dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x3x3x2xf32>, tensor<1x2x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
    %1 = "tfl.mul"(%s, %0) {fused_activation_function = "NONE"} : (tensor<2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
    return %1 : tensor<1x2x2x2xf32>
  }

// A scalar-like [1] scale and a subtracted shift on a fully connected layer.
// CHECK-LABEL: func.func @mul_and_sub_into_fully_connected(
// CHECK: [[W:%.*]] = "tfl.pseudo_const"() {value = dense<{{\[\[}}1.000000e+00, -2.000000e+00, 5.000000e-01], {{.*}} : tensor<4x3xf32>}
// CHECK: [[B:%.*]] = "tfl.pseudo_const"() {value = dense<[-5.000000e-01, -2.000000e+00, 1.000000e+00, -1.250000e+00]> : tensor<4xf32>}
// CHECK: [[V:%.*]] = "tfl.fully_connected"(%arg0, [[W]], [[B]]) {fused_activation_function = "RELU6"
// CHECK-NOT: "tfl.mul"
// CHECK-NOT: "tfl.sub"
// CHECK: return [[V]]
  func.func @mul_and_sub_into_fully_connected(%arg0: tensor<2x3xf32>) -> tensor<2x4xf32> {
    %w = "tfl.pseudo_const"() {value = dense<[[0.5, -1.0, 0.25], [1.5, 0.5, -0.75], [-0.5, 2.0, 1.0], [0.125, -0.25, 0.5]]> : tensor<4x3xf32>} : () -> tensor<4x3xf32>
    %b = "tfl.pseudo_const"() {value = dense<[0.25, -0.5, 0.75, -0.125]> : tensor<4xf32>} : () -> tensor<4xf32>
    %s = "tfl.pseudo_const"() {value = dense<2.0> : tensor<1xf32>} : () -> tensor<1xf32>
    %t = "tfl.pseudo_const"() {value = dense<[1.0, 1.0, 0.5, 1.0]> : tensor<4xf32>} : () -> tensor<4xf32>
    %0 = "tfl.fully_connected"(%arg0, %w, %b) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
    %1 = "tfl.mul"(%0, %s) {fused_activation_function = "NONE"} : (tensor<2x4xf32>, tensor<1xf32>) -> tensor<2x4xf32>
    %2 = "tfl.sub"(%1, %t) {fused_activation_function = "RELU6"} : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
    return %2 : tensor<2x4xf32>
  }

// A constant that is not per output channel (it varies along the batch) is not a bias.
// CHECK-LABEL: func.func @no_bias_fold_for_non_channel_constant(
// CHECK: "tfl.fully_connected"
// CHECK: "tfl.add"
  func.func @no_bias_fold_for_non_channel_constant(%arg0: tensor<2x3xf32>) -> tensor<2x4xf32> {
    %w = "tfl.pseudo_const"() {value = dense<[[0.5, -1.0, 0.25], [1.5, 0.5, -0.75], [-0.5, 2.0, 1.0], [0.125, -0.25, 0.5]]> : tensor<4x3xf32>} : () -> tensor<4x3xf32>
    %n = "tfl.no_value"() {value} : () -> none
    %c = "tfl.pseudo_const"() {value = dense<[[1.0], [2.0]]> : tensor<2x1xf32>} : () -> tensor<2x1xf32>
    %0 = "tfl.fully_connected"(%arg0, %w, %n) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<2x3xf32>, tensor<4x3xf32>, none) -> tensor<2x4xf32>
    %1 = "tfl.add"(%0, %c) {fused_activation_function = "NONE"} : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
    return %1 : tensor<2x4xf32>
  }

// ---- shape-op chains and identities -----------------------------------------------------------

// CHECK-LABEL: func.func @consecutive_reshapes(
// CHECK: [[V:%.*]] = "tfl.reshape"(%arg0, {{.*}}) : (tensor<2x3x4xf32>, tensor<2xi32>) -> tensor<4x6xf32>
// CHECK-NOT: "tfl.reshape"
// CHECK: return [[V]]
  func.func @consecutive_reshapes(%arg0: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
    %s1 = "tfl.pseudo_const"() {value = dense<[6, 4]> : tensor<2xi32>} : () -> tensor<2xi32>
    %s2 = "tfl.pseudo_const"() {value = dense<[4, 6]> : tensor<2xi32>} : () -> tensor<2xi32>
    %0 = "tfl.reshape"(%arg0, %s1) : (tensor<2x3x4xf32>, tensor<2xi32>) -> tensor<6x4xf32>
    %1 = "tfl.reshape"(%0, %s2) : (tensor<6x4xf32>, tensor<2xi32>) -> tensor<4x6xf32>
    return %1 : tensor<4x6xf32>
  }

// CHECK-LABEL: func.func @identity_reshape(
// CHECK-NOT: "tfl.reshape"
// CHECK: return %arg0
  func.func @identity_reshape(%arg0: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %s = "tfl.pseudo_const"() {value = dense<[2, 3]> : tensor<2xi32>} : () -> tensor<2xi32>
    %0 = "tfl.reshape"(%arg0, %s) : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<2x3xf32>
    return %0 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @consecutive_transposes(
// CHECK: [[P:%.*]] = "tfl.pseudo_const"() {value = dense<[2, 0, 1]> : tensor<3xi32>}
// CHECK: [[V:%.*]] = "tfl.transpose"(%arg0, [[P]]) : (tensor<2x3x4xf32>, tensor<3xi32>) -> tensor<4x2x3xf32>
// CHECK-NOT: "tfl.transpose"
// CHECK: return [[V]]
  func.func @consecutive_transposes(%arg0: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
    %p = "tfl.pseudo_const"() {value = dense<[0, 2, 1]> : tensor<3xi32>} : () -> tensor<3xi32>
    %q = "tfl.pseudo_const"() {value = dense<[1, 0, 2]> : tensor<3xi32>} : () -> tensor<3xi32>
    %0 = "tfl.transpose"(%arg0, %p) : (tensor<2x3x4xf32>, tensor<3xi32>) -> tensor<2x4x3xf32>
    %1 = "tfl.transpose"(%0, %q) : (tensor<2x4x3xf32>, tensor<3xi32>) -> tensor<4x2x3xf32>
    return %1 : tensor<4x2x3xf32>
  }

// CHECK-LABEL: func.func @inverse_transposes(
// CHECK-NOT: "tfl.transpose"
// CHECK: return %arg0
  func.func @inverse_transposes(%arg0: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
    %p = "tfl.pseudo_const"() {value = dense<[1, 2, 0]> : tensor<3xi32>} : () -> tensor<3xi32>
    %q = "tfl.pseudo_const"() {value = dense<[2, 0, 1]> : tensor<3xi32>} : () -> tensor<3xi32>
    %0 = "tfl.transpose"(%arg0, %p) : (tensor<2x3x4xf32>, tensor<3xi32>) -> tensor<3x4x2xf32>
    %1 = "tfl.transpose"(%0, %q) : (tensor<3x4x2xf32>, tensor<3xi32>) -> tensor<2x3x4xf32>
    return %1 : tensor<2x3x4xf32>
  }

// CHECK-LABEL: func.func @identity_transpose(
// CHECK-NOT: "tfl.transpose"
// CHECK: return %arg0
  func.func @identity_transpose(%arg0: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %p = "tfl.pseudo_const"() {value = dense<[0, 1]> : tensor<2xi32>} : () -> tensor<2xi32>
    %0 = "tfl.transpose"(%arg0, %p) : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<2x3xf32>
    return %0 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @split_then_concatenation(
// CHECK-NOT: "tfl.split"
// CHECK-NOT: "tfl.concatenation"
// CHECK: return %arg0
  func.func @split_then_concatenation(%arg0: tensor<4x6xf32>) -> tensor<4x6xf32> {
    %d = "tfl.pseudo_const"() {value = dense<1> : tensor<i32>} : () -> tensor<i32>
    %0:3 = "tfl.split"(%d, %arg0) {num_splits = 3 : i32} : (tensor<i32>, tensor<4x6xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>)
    %1 = "tfl.concatenation"(%0#0, %0#1, %0#2) {axis = -1 : i32, fused_activation_function = "NONE"} : (tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<4x6xf32>
    return %1 : tensor<4x6xf32>
  }

// CHECK-LABEL: func.func @split_v_then_concatenation(
// CHECK-NOT: "tfl.split_v"
// CHECK-NOT: "tfl.concatenation"
// CHECK: return %arg0
  func.func @split_v_then_concatenation(%arg0: tensor<4x6xf32>) -> tensor<4x6xf32> {
    %sizes = "tfl.pseudo_const"() {value = dense<[1, 3]> : tensor<2xi32>} : () -> tensor<2xi32>
    %d = "tfl.pseudo_const"() {value = dense<0> : tensor<i32>} : () -> tensor<i32>
    %0:2 = "tfl.split_v"(%arg0, %sizes, %d) {num_splits = 2 : i32} : (tensor<4x6xf32>, tensor<2xi32>, tensor<i32>) -> (tensor<1x6xf32>, tensor<3x6xf32>)
    %1 = "tfl.concatenation"(%0#0, %0#1) {axis = 0 : i32, fused_activation_function = "NONE"} : (tensor<1x6xf32>, tensor<3x6xf32>) -> tensor<4x6xf32>
    return %1 : tensor<4x6xf32>
  }

// Reordered pieces are a real permutation: kept.
// CHECK-LABEL: func.func @split_concatenation_reordered(
// CHECK: "tfl.split"
// CHECK: "tfl.concatenation"
  func.func @split_concatenation_reordered(%arg0: tensor<4x6xf32>) -> tensor<4x6xf32> {
    %d = "tfl.pseudo_const"() {value = dense<1> : tensor<i32>} : () -> tensor<i32>
    %0:2 = "tfl.split"(%d, %arg0) {num_splits = 2 : i32} : (tensor<i32>, tensor<4x6xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>)
    %1 = "tfl.concatenation"(%0#1, %0#0) {axis = 1 : i32, fused_activation_function = "NONE"} : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x6xf32>
    return %1 : tensor<4x6xf32>
  }

// CHECK-LABEL: func.func @unpack_then_pack(
// CHECK-NOT: "tfl.unpack"
// CHECK-NOT: "tfl.pack"
// CHECK: return %arg0
  func.func @unpack_then_pack(%arg0: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
    %0:3 = "tfl.unpack"(%arg0) {axis = 1 : i32, num = 3 : i32} : (tensor<2x3x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>)
    %1 = "tfl.pack"(%0#0, %0#1, %0#2) {axis = 1 : i32, values_count = 3 : i32} : (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x3x4xf32>
    return %1 : tensor<2x3x4xf32>
  }
}
