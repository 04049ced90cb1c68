// RUN: qopt %s --split-input-file --verify-diagnostics --passes=tfl-materialize-bias | filecheck %s
// RUN: qopt %s --split-input-file --passes='tfl-materialize-bias{ops=fully_connected,tfl.transpose_conv}' | filecheck %s --check-prefix=OPS
// RUN: qopt %s --split-input-file --passes='tfl-materialize-bias{bias-type=int32}' | filecheck %s --check-prefix=I32
// RUN: qopt %s --split-input-file --kernels=tflm --passes='tfl-materialize-bias{ops=fully_connected}' | filecheck %s --check-prefix=TFLM
// RUN: not qopt %s --split-input-file --passes='tfl-materialize-bias{ops=conv2d}' 2>&1 | filecheck %s --check-prefix=BADOP
// tfl-materialize-bias: a `none` bias of conv_2d / depthwise_conv_2d (by default) becomes a zero
// constant: float32 zeros; for quantized ops the bias type quant-prepare derives — scale s_in * s_w
// (per channel, axis 0, when the filter is per axis), zero point 0, int32 for int8 activations, int64
// for 16x8 (int32 when the op records quantized_bias_type = "INT32" or with bias-type=int32, except
// depthwise_conv_2d, which only takes int64; fully_connected / transpose_conv, which TF 2.12 runs
// bias-less with an int32 accumulator, get int32 unless --kernels=tflm). Scales are powers of two so
// the products print exactly.
// BADOP: error: tfl-materialize-bias: unknown op 'conv2d' in ops= (expected some of conv_2d, depthwise_conv_2d, transpose_conv, fully_connected)

module {
// CHECK-LABEL: func.func @conv_f32(
// CHECK-NOT: "tfl.no_value"
// CHECK: [[B:%[0-9]+]] = "tfl.pseudo_const"() {value = dense<0.000000e+00> : tensor<3xf32>} : () -> tensor<3xf32>
// CHECK-NEXT: [[Y:%[0-9]+]] = "tfl.conv_2d"(%arg0, %arg1, [[B]]) {{.*}} : (tensor<1x3x3x2xf32>, tensor<3x2x2x2xf32>, tensor<3xf32>) -> tensor<1x2x2x3xf32>
// CHECK-NEXT: return [[Y]]
  func.func @conv_f32(%arg0: tensor<1x3x3x2xf32>, %arg1: tensor<3x2x2x2xf32>) -> tensor<1x2x2x3xf32> {
    %none = "tfl.no_value"() {value} : () -> none
    %0 = "tfl.conv_2d"(%arg0, %arg1, %none) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x3x3x2xf32>, tensor<3x2x2x2xf32>, none) -> tensor<1x2x2x3xf32>
    return %0 : tensor<1x2x2x3xf32>
  }

// Hybrid (float input, int8 filter): the bias is float.
// CHECK-LABEL: func.func @conv_hybrid(
// CHECK: [[B:%[0-9]+]] = "tfl.pseudo_const"() {value = dense<0.000000e+00> : tensor<2xf32>} : () -> tensor<2xf32>
// CHECK-NEXT: "tfl.conv_2d"(%arg0, {{%.*}}, [[B]])
  func.func @conv_hybrid(%arg0: tensor<1x2x2x1xf32>) -> tensor<1x1x1x2xf32> {
    %w = "tfl.pseudo_qconst"() {qtype = tensor<2x2x2x1x!quant.uniform<i8<-127:127>:f32:0, {2.500000e-01,1.250000e-01}>>, value = dense<[[[[1], [2]], [[3], [4]]], [[[-1], [-2]], [[-3], [-4]]]]> : tensor<2x2x2x1xi8>} : () -> tensor<2x2x2x1x!quant.uniform<i8<-127:127>:f32:0, {2.500000e-01,1.250000e-01}>>
    %none = "tfl.no_value"() {value} : () -> none
    %0 = "tfl.conv_2d"(%arg0, %w, %none) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x2x2x1xf32>, tensor<2x2x2x1x!quant.uniform<i8<-127:127>:f32:0, {2.500000e-01,1.250000e-01}>>, none) -> tensor<1x1x1x2xf32>
    return %0 : tensor<1x1x1x2xf32>
  }

// int8, per-channel filter: int32, scales 0.5 * {0.25, 0.125}, axis 0.
// CHECK-LABEL: func.func @conv_int8_per_channel(
// CHECK: [[W:%[0-9]+]] = "tfl.pseudo_qconst"()
// CHECK-NEXT: [[B:%[0-9]+]] = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32:0, {1.250000e-01,6.250000e-02}>>, value = dense<0> : tensor<2xi32>} : () -> tensor<2x!quant.uniform<i32:f32:0, {1.250000e-01,6.250000e-02}>>
// CHECK-NEXT: "tfl.conv_2d"(%arg0, [[W]], [[B]])
// CHECK-NOT: "tfl.no_value"
  func.func @conv_int8_per_channel(%arg0: tensor<1x2x2x1x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<1x1x1x2x!quant.uniform<i8:f32, 1.000000e+00:2>> {
    %none = "tfl.no_value"() {value} : () -> none
    %w = "tfl.pseudo_qconst"() {qtype = tensor<2x2x2x1x!quant.uniform<i8<-127:127>:f32:0, {2.500000e-01,1.250000e-01}>>, value = dense<[[[[1], [2]], [[3], [4]]], [[[-1], [-2]], [[-3], [-4]]]]> : tensor<2x2x2x1xi8>} : () -> tensor<2x2x2x1x!quant.uniform<i8<-127:127>:f32:0, {2.500000e-01,1.250000e-01}>>
    %0 = "tfl.conv_2d"(%arg0, %w, %none) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x2x2x1x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<2x2x2x1x!quant.uniform<i8<-127:127>:f32:0, {2.500000e-01,1.250000e-01}>>, none) -> tensor<1x1x1x2x!quant.uniform<i8:f32, 1.000000e+00:2>>
    return %0 : tensor<1x1x1x2x!quant.uniform<i8:f32, 1.000000e+00:2>>
  }

// int8 depthwise, per-tensor filter: one scale 0.5 * 0.25; channels from filter dim 3.
// CHECK-LABEL: func.func @depthwise_int8_per_tensor(
// CHECK: [[B:%[0-9]+]] = "tfl.pseudo_qconst"() {qtype = tensor<4x!quant.uniform<i32:f32, 1.250000e-01>>, value = dense<0> : tensor<4xi32>}
// CHECK-NEXT: "tfl.depthwise_conv_2d"(%arg0, %arg1, [[B]])
  func.func @depthwise_int8_per_tensor(%arg0: tensor<1x2x2x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>, %arg1: tensor<1x2x2x4x!quant.uniform<i8<-127:127>:f32, 2.500000e-01>>) -> tensor<1x1x1x4x!quant.uniform<i8:f32, 1.000000e+00:2>> {
    %none = "tfl.no_value"() {value} : () -> none
    %0 = "tfl.depthwise_conv_2d"(%arg0, %arg1, %none) {depth_multiplier = 2 : i32, dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x2x2x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<1x2x2x4x!quant.uniform<i8<-127:127>:f32, 2.500000e-01>>, none) -> tensor<1x1x1x4x!quant.uniform<i8:f32, 1.000000e+00:2>>
    return %0 : tensor<1x1x1x4x!quant.uniform<i8:f32, 1.000000e+00:2>>
  }

// 16x8: int64 by default (bias-type=int32: int32).
// CHECK-LABEL: func.func @conv_16x8(
// CHECK: [[B:%[0-9]+]] = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i64:f32:0, {1.250000e-01,6.250000e-02}>>, value = dense<0> : tensor<2xi64>}
// CHECK-NEXT: "tfl.conv_2d"(%arg0, %arg1, [[B]])
// I32-LABEL: func.func @conv_16x8(
// I32: [[B:%[0-9]+]] = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32:0, {1.250000e-01,6.250000e-02}>>, value = dense<0> : tensor<2xi32>}
// I32-NEXT: "tfl.conv_2d"(%arg0, %arg1, [[B]])
  func.func @conv_16x8(%arg0: tensor<1x2x2x1x!quant.uniform<i16:f32, 5.000000e-01>>, %arg1: tensor<2x2x2x1x!quant.uniform<i8<-127:127>:f32:0, {2.500000e-01,1.250000e-01}>>) -> tensor<1x1x1x2x!quant.uniform<i16:f32, 1.000000e+00>> {
    %none = "tfl.no_value"() {value} : () -> none
    %0 = "tfl.conv_2d"(%arg0, %arg1, %none) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x2x2x1x!quant.uniform<i16:f32, 5.000000e-01>>, tensor<2x2x2x1x!quant.uniform<i8<-127:127>:f32:0, {2.500000e-01,1.250000e-01}>>, none) -> tensor<1x1x1x2x!quant.uniform<i16:f32, 1.000000e+00>>
    return %0 : tensor<1x1x1x2x!quant.uniform<i16:f32, 1.000000e+00>>
  }

// 16x8 depthwise, per-channel filter along dim 3: always int64 (bias-type=int32 too); the bias is per axis 0.
// CHECK-LABEL: func.func @depthwise_16x8(
// CHECK: [[B:%[0-9]+]] = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i64:f32:0, {1.250000e-01,6.250000e-02}>>, value = dense<0> : tensor<2xi64>}
// CHECK-NEXT: "tfl.depthwise_conv_2d"(%arg0, %arg1, [[B]])
// I32-LABEL: func.func @depthwise_16x8(
// I32: "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i64:f32:0, {1.250000e-01,6.250000e-02}>>, value = dense<0> : tensor<2xi64>}
  func.func @depthwise_16x8(%arg0: tensor<1x2x2x2x!quant.uniform<i16:f32, 5.000000e-01>>, %arg1: tensor<1x2x2x2x!quant.uniform<i8<-127:127>:f32:3, {2.500000e-01,1.250000e-01}>>) -> tensor<1x1x1x2x!quant.uniform<i16:f32, 1.000000e+00>> {
    %none = "tfl.no_value"() {value} : () -> none
    %0 = "tfl.depthwise_conv_2d"(%arg0, %arg1, %none) {depth_multiplier = 1 : i32, dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x2x2x2x!quant.uniform<i16:f32, 5.000000e-01>>, tensor<1x2x2x2x!quant.uniform<i8<-127:127>:f32:3, {2.500000e-01,1.250000e-01}>>, none) -> tensor<1x1x1x2x!quant.uniform<i16:f32, 1.000000e+00>>
    return %0 : tensor<1x1x1x2x!quant.uniform<i16:f32, 1.000000e+00>>
  }

// 16x8 with quantized_bias_type = "INT32" recorded: int32.
// CHECK-LABEL: func.func @conv_16x8_recorded_int32(
// CHECK: [[B:%[0-9]+]] = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32, 1.250000e-01>>, value = dense<0> : tensor<2xi32>}
// CHECK-NEXT: "tfl.conv_2d"(%arg0, %arg1, [[B]]) {{{.*}}quantized_bias_type = "INT32"
  func.func @conv_16x8_recorded_int32(%arg0: tensor<1x2x2x1x!quant.uniform<i16:f32, 5.000000e-01>>, %arg1: tensor<2x2x2x1x!quant.uniform<i8<-127:127>:f32, 2.500000e-01>>) -> tensor<1x1x1x2x!quant.uniform<i16:f32, 1.000000e+00>> {
    %none = "tfl.no_value"() {value} : () -> none
    %0 = "tfl.conv_2d"(%arg0, %arg1, %none) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", quantized_bias_type = "INT32", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x2x2x1x!quant.uniform<i16:f32, 5.000000e-01>>, tensor<2x2x2x1x!quant.uniform<i8<-127:127>:f32, 2.500000e-01>>, none) -> tensor<1x1x1x2x!quant.uniform<i16:f32, 1.000000e+00>>
    return %0 : tensor<1x1x1x2x!quant.uniform<i16:f32, 1.000000e+00>>
  }

// An op that has a bias is left alone.
// CHECK-LABEL: func.func @conv_with_bias(
// CHECK-NEXT: [[B:%[0-9]+]] = "tfl.pseudo_const"() {value = dense<[5.000000e-01, -5.000000e-01, 2.500000e-01]> : tensor<3xf32>}
// CHECK-NEXT: "tfl.conv_2d"(%arg0, %arg1, [[B]])
// CHECK-NEXT: return
  func.func @conv_with_bias(%arg0: tensor<1x3x3x2xf32>, %arg1: tensor<3x2x2x2xf32>) -> tensor<1x2x2x3xf32> {
    %b = "tfl.pseudo_const"() {value = dense<[0.5, -0.5, 0.25]> : tensor<3xf32>} : () -> tensor<3xf32>
    %0 = "tfl.conv_2d"(%arg0, %arg1, %b) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x3x3x2xf32>, tensor<3x2x2x2xf32>, tensor<3xf32>) -> tensor<1x2x2x3xf32>
    return %0 : tensor<1x2x2x3xf32>
  }

// Two ops sharing one `none`: each gets its own bias, and the unused tfl.no_value goes.
// CHECK-LABEL: func.func @shared_no_value(
// CHECK-NOT: "tfl.no_value"
// CHECK: [[B1:%[0-9]+]] = "tfl.pseudo_const"() {value = dense<0.000000e+00> : tensor<3xf32>}
// CHECK-NEXT: [[Y1:%[0-9]+]] = "tfl.conv_2d"(%arg0, %arg1, [[B1]])
// CHECK-NEXT: [[B2:%[0-9]+]] = "tfl.pseudo_const"() {value = dense<0.000000e+00> : tensor<3xf32>}
// CHECK-NEXT: "tfl.conv_2d"(%arg0, %arg1, [[B2]])
  func.func @shared_no_value(%arg0: tensor<1x3x3x2xf32>, %arg1: tensor<3x2x2x2xf32>) -> (tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>) {
    %none = "tfl.no_value"() {value} : () -> none
    %0 = "tfl.conv_2d"(%arg0, %arg1, %none) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x3x3x2xf32>, tensor<3x2x2x2xf32>, none) -> tensor<1x2x2x3xf32>
    %1 = "tfl.conv_2d"(%arg0, %arg1, %none) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "RELU", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x3x3x2xf32>, tensor<3x2x2x2xf32>, none) -> tensor<1x2x2x3xf32>
    return %0, %1 : tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>
  }

// TFLite 2.12 accepts fully_connected and transpose_conv without a bias: only ops= adds one (channels
// from filter dim 0), and then conv_2d is not selected.
// CHECK-LABEL: func.func @fc_transpose_conv(
// CHECK: "tfl.fully_connected"(%arg0, %arg1, [[N:%[0-9]+]]) {{.*}} : (tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<3x4x!quant.uniform<i8<-127:127>:f32, 2.500000e-01>>, none)
// CHECK: "tfl.transpose_conv"({{%.*}}, %arg3, %arg2, [[N]])
// CHECK: "tfl.conv_2d"(%arg2, {{%.*}}, {{%.*}}) {{.*}} : (tensor<1x2x2x2xf32>, tensor<3x1x1x2xf32>, tensor<3xf32>)
// OPS-LABEL: func.func @fc_transpose_conv(
// OPS: [[N:%[0-9]+]] = "tfl.no_value"
// OPS: [[B1:%[0-9]+]] = "tfl.pseudo_qconst"() {qtype = tensor<3x!quant.uniform<i32:f32, 1.250000e-01>>, value = dense<0> : tensor<3xi32>}
// OPS-NEXT: "tfl.fully_connected"(%arg0, %arg1, [[B1]])
// OPS: [[B2:%[0-9]+]] = "tfl.pseudo_const"() {value = dense<0.000000e+00> : tensor<3xf32>}
// OPS-NEXT: "tfl.transpose_conv"({{%.*}}, %arg3, %arg2, [[B2]])
// OPS: "tfl.conv_2d"(%arg2, {{%.*}}, [[N]])
  func.func @fc_transpose_conv(%arg0: tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, %arg1: tensor<3x4x!quant.uniform<i8<-127:127>:f32, 2.500000e-01>>, %arg2: tensor<1x2x2x2xf32>, %arg3: tensor<3x2x2x2xf32>) -> (tensor<2x3x!quant.uniform<i8:f32, 1.000000e+00:2>>, tensor<1x3x3x3xf32>, tensor<1x2x2x3xf32>) {
    %none = "tfl.no_value"() {value} : () -> none
    %0 = "tfl.fully_connected"(%arg0, %arg1, %none) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<3x4x!quant.uniform<i8<-127:127>:f32, 2.500000e-01>>, none) -> tensor<2x3x!quant.uniform<i8:f32, 1.000000e+00:2>>
    %s = "tfl.pseudo_const"() {value = dense<[1, 3, 3, 3]> : tensor<4xi32>} : () -> tensor<4xi32>
    %1 = "tfl.transpose_conv"(%s, %arg3, %arg2, %none) {fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<4xi32>, tensor<3x2x2x2xf32>, tensor<1x2x2x2xf32>, none) -> tensor<1x3x3x3xf32>
    %w = "tfl.pseudo_const"() {value = dense<1.0> : tensor<3x1x1x2xf32>} : () -> tensor<3x1x1x2xf32>
    %2 = "tfl.conv_2d"(%arg2, %w, %none) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x2x2x2xf32>, tensor<3x1x1x2xf32>, none) -> tensor<1x2x2x3xf32>
    return %0, %1, %2 : tensor<2x3x!quant.uniform<i8:f32, 1.000000e+00:2>>, tensor<1x3x3x3xf32>, tensor<1x2x2x3xf32>
  }
// 16x8 fully_connected: left alone by default; with ops= an int32 bias (TF 2.12's bias-less path),
// int64 under --kernels=tflm.
// CHECK-LABEL: func.func @fc_16x8(
// CHECK: "tfl.fully_connected"(%arg0, %arg1, {{%[0-9]+}}) {{.*}} none)
// OPS-LABEL: func.func @fc_16x8(
// OPS: [[B:%[0-9]+]] = "tfl.pseudo_qconst"() {qtype = tensor<3x!quant.uniform<i32:f32, 1.250000e-01>>, value = dense<0> : tensor<3xi32>}
// OPS-NEXT: "tfl.fully_connected"(%arg0, %arg1, [[B]])
// TFLM-LABEL: func.func @fc_16x8(
// TFLM: [[B:%[0-9]+]] = "tfl.pseudo_qconst"() {qtype = tensor<3x!quant.uniform<i64:f32, 1.250000e-01>>, value = dense<0> : tensor<3xi64>}
// TFLM-NEXT: "tfl.fully_connected"(%arg0, %arg1, [[B]])
  func.func @fc_16x8(%arg0: tensor<2x4x!quant.uniform<i16:f32, 5.000000e-01>>, %arg1: tensor<3x4x!quant.uniform<i8<-127:127>:f32, 2.500000e-01>>) -> tensor<2x3x!quant.uniform<i16:f32, 1.000000e+00>> {
    %none = "tfl.no_value"() {value} : () -> none
    %0 = "tfl.fully_connected"(%arg0, %arg1, %none) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<2x4x!quant.uniform<i16:f32, 5.000000e-01>>, tensor<3x4x!quant.uniform<i8<-127:127>:f32, 2.500000e-01>>, none) -> tensor<2x3x!quant.uniform<i16:f32, 1.000000e+00>>
    return %0 : tensor<2x3x!quant.uniform<i16:f32, 1.000000e+00>>
  }
}

// -----

// A filter whose output-channel dim is dynamic: the op keeps its `none` bias, with a warning.
// CHECK-LABEL: func.func @dynamic_filter(
// CHECK: "tfl.conv_2d"(%arg0, %arg1, {{%.*}}) {{.*}} : (tensor<1x3x3x2xf32>, tensor<?x2x2x2xf32>, none)
func.func @dynamic_filter(%arg0: tensor<1x3x3x2xf32>, %arg1: tensor<?x2x2x2xf32>) -> tensor<1x2x2x?xf32> {
  %none = "tfl.no_value"() {value} : () -> none
  // expected-warning@+1 {{'tfl.conv_2d' op keeps its absent bias: the filter's output-channel dim (0) is not static}}
  %0 = "tfl.conv_2d"(%arg0, %arg1, %none) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x3x3x2xf32>, tensor<?x2x2x2xf32>, none) -> tensor<1x2x2x?xf32>
  return %0 : tensor<1x2x2x?xf32>
}
