// RUN: qopt %s --passes=requantize-16x8 | filecheck %s
// requantize-16x8, one function per op family's rewrite. An int8 type (s8, zp8) becomes the
// symmetric int16 type with s16 = max(|s8(127-zp8)|, |s8(-128-zp8)|)/32767 (float32):
//   s8 = 1.0, zp8 = 0    -> s16 = 128/32767  = 3.906369...e-03
//   s8 = 0.5, zp8 = -128 -> s16 = 127.5/32767 = 3.891110...e-03
//   s8 = 0.25, zp8 = 10  -> s16 = 34.5/32767 = 1.052888...e-03
// Biases: int32 q * s_b / (s_in16 * s_w), int64, scale s_in16 * s_w (float32 product).

module {
// ---- affine ops: int64 bias with scale s_in16*s_w, quantized_bias_type ------------------------

// CHECK-LABEL: func.func @fully_connected(
// CHECK-SAME: %arg0: tensor<1x3x!quant.uniform<i16:f32, 3.906369209289551e-03>>) -> tensor<1x2x!quant.uniform<i16:f32, 3.8911099545657635e-03>>
// CHECK: [[W:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<2x3x!quant.uniform<i8<-127:127>:f32, 5.000000e-01>>
// CHECK: [[B:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i64:f32, 1.9531846046447754e-03>>, value = dense<[25599, -768]> : tensor<2xi64>}
// CHECK: [[V:%.*]] = "tfl.fully_connected"(%arg0, [[W]], [[B]]) {{{.*}}fused_activation_function = "RELU"{{.*}}quantized_bias_type = "INT64"{{.*}}} : (tensor<1x3x!quant.uniform<i16:f32, 3.906369209289551e-03>>, tensor<2x3x!quant.uniform<i8<-127:127>:f32, 5.000000e-01>>, tensor<2x!quant.uniform<i64:f32, 1.9531846046447754e-03>>) -> tensor<1x2x!quant.uniform<i16:f32, 3.8911099545657635e-03>>
// CHECK-NOT: "tfl.quantize"
// CHECK: return [[V]]
  func.func @fully_connected(%arg0: tensor<1x3x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.5:-128>> {
    %w = "tfl.pseudo_qconst"() {qtype = tensor<2x3x!quant.uniform<i8<-127:127>:f32, 0.5>>, value = dense<[[1, 2, 3], [-4, 5, -6]]> : tensor<2x3xi8>} : () -> tensor<2x3x!quant.uniform<i8<-127:127>:f32, 0.5>>
    %b = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32, 0.5>>, value = dense<[100, -3]> : tensor<2xi32>} : () -> tensor<2x!quant.uniform<i32:f32, 0.5>>
    %0 = "tfl.fully_connected"(%arg0, %w, %b) {fused_activation_function = "RELU", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x3x!quant.uniform<i8:f32, 1.0>>, tensor<2x3x!quant.uniform<i8<-127:127>:f32, 0.5>>, tensor<2x!quant.uniform<i32:f32, 0.5>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.5:-128>>
    return %0 : tensor<1x2x!quant.uniform<i8:f32, 0.5:-128>>
  }

// A bias-less layer still gets quantized_bias_type (else TFLM accumulates in 32 bits).
// CHECK-LABEL: func.func @fully_connected_no_bias(
// CHECK: [[N:%.*]] = "tfl.no_value"()
// CHECK: [[V:%.*]] = "tfl.fully_connected"(%arg0, {{%.*}}, [[N]]) {{{.*}}quantized_bias_type = "INT64"{{.*}}} : (tensor<1x3x!quant.uniform<i16:f32, 3.906369209289551e-03>>, tensor<2x3x!quant.uniform<i8<-127:127>:f32, 5.000000e-01>>, none) -> tensor<1x2x!quant.uniform<i16:f32, 3.8911099545657635e-03>>
// CHECK: return [[V]]
  func.func @fully_connected_no_bias(%arg0: tensor<1x3x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.5:-128>> {
    %w = "tfl.pseudo_qconst"() {qtype = tensor<2x3x!quant.uniform<i8<-127:127>:f32, 0.5>>, value = dense<[[1, 2, 3], [-4, 5, -6]]> : tensor<2x3xi8>} : () -> tensor<2x3x!quant.uniform<i8<-127:127>:f32, 0.5>>
    %none = "tfl.no_value"() {value} : () -> none
    %0 = "tfl.fully_connected"(%arg0, %w, %none) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x3x!quant.uniform<i8:f32, 1.0>>, tensor<2x3x!quant.uniform<i8<-127:127>:f32, 0.5>>, none) -> tensor<1x2x!quant.uniform<i8:f32, 0.5:-128>>
    return %0 : tensor<1x2x!quant.uniform<i8:f32, 0.5:-128>>
  }

// Per-channel weights: a per-channel int64 bias (axis 0), one scale per output channel.
// CHECK-LABEL: func.func @conv_2d_per_channel(
// CHECK: [[B:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i64:f32:0, {3.9063693839125335e-04,7.812738767825067e-04}>>, value = dense<[2560, -5120]> : tensor<2xi64>}
// CHECK: [[V:%.*]] = "tfl.conv_2d"(%arg0, {{%.*}}, [[B]]) {{{.*}}quantized_bias_type = "INT64"{{.*}}} : (tensor<1x3x3x1x!quant.uniform<i16:f32, 3.906369209289551e-03>>, {{.*}}) -> tensor<1x3x3x2x!quant.uniform<i16:f32, 1.0528885759413242e-03>>
// CHECK: return [[V]]
  func.func @conv_2d_per_channel(%arg0: tensor<1x3x3x1x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x3x3x2x!quant.uniform<i8:f32, 0.25:10>> {
    %w = "tfl.pseudo_qconst"() {qtype = tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.1,0.2}>>, value = dense<[[[[10]]], [[[-20]]]]> : tensor<2x1x1x1xi8>} : () -> tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.1,0.2}>>
    %b = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32:0, {0.1,0.2}>>, value = dense<[10, -20]> : tensor<2xi32>} : () -> tensor<2x!quant.uniform<i32:f32:0, {0.1,0.2}>>
    %0 = "tfl.conv_2d"(%arg0, %w, %b) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x3x3x1x!quant.uniform<i8:f32, 1.0>>, tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.1,0.2}>>, tensor<2x!quant.uniform<i32:f32:0, {0.1,0.2}>>) -> tensor<1x3x3x2x!quant.uniform<i8:f32, 0.25:10>>
    return %0 : tensor<1x3x3x2x!quant.uniform<i8:f32, 0.25:10>>
  }

// DEPTHWISE_CONV_2D's options have no quantized_bias_type.
// CHECK-LABEL: func.func @depthwise_conv_2d(
// CHECK: [[B:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i64:f32:0, {3.9063693839125335e-04,7.812738767825067e-04}>>
// CHECK: [[V:%.*]] = "tfl.depthwise_conv_2d"(%arg0, {{%.*}}, [[B]])
// CHECK-NOT: quantized_bias_type
// CHECK-SAME: -> tensor<1x3x3x2x!quant.uniform<i16:f32, 1.0528885759413242e-03>>
// CHECK: return [[V]]
  func.func @depthwise_conv_2d(%arg0: tensor<1x3x3x2x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x3x3x2x!quant.uniform<i8:f32, 0.25:10>> {
    %w = "tfl.pseudo_qconst"() {qtype = tensor<1x1x1x2x!quant.uniform<i8<-127:127>:f32:3, {0.1,0.2}>>, value = dense<[[[[10, -20]]]]> : tensor<1x1x1x2xi8>} : () -> tensor<1x1x1x2x!quant.uniform<i8<-127:127>:f32:3, {0.1,0.2}>>
    %b = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32:0, {0.1,0.2}>>, value = dense<[10, -20]> : tensor<2xi32>} : () -> tensor<2x!quant.uniform<i32:f32:0, {0.1,0.2}>>
    %0 = "tfl.depthwise_conv_2d"(%arg0, %w, %b) {depth_multiplier = 1 : i32, dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x3x3x2x!quant.uniform<i8:f32, 1.0>>, tensor<1x1x1x2x!quant.uniform<i8<-127:127>:f32:3, {0.1,0.2}>>, tensor<2x!quant.uniform<i32:f32:0, {0.1,0.2}>>) -> tensor<1x3x3x2x!quant.uniform<i8:f32, 0.25:10>>
    return %0 : tensor<1x3x3x2x!quant.uniform<i8:f32, 0.25:10>>
  }

// TRANSPOSE_CONV: the activation is operand 2, the bias operand 3; output_shape stays int32.
// CHECK-LABEL: func.func @transpose_conv(
// CHECK: [[B:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<1x!quant.uniform<i64:f32, 1.9531846046447754e-03>>, value = dense<2560> : tensor<1xi64>}
// CHECK: [[V:%.*]] = "tfl.transpose_conv"({{%.*}}, {{%.*}}, %arg0, [[B]]) {{{.*}}quantized_bias_type = "INT64"{{.*}}} : (tensor<4xi32>, tensor<1x2x2x1x!quant.uniform<i8<-127:127>:f32, 5.000000e-01>>, tensor<1x2x2x1x!quant.uniform<i16:f32, 3.906369209289551e-03>>, tensor<1x!quant.uniform<i64:f32, 1.9531846046447754e-03>>) -> tensor<1x4x4x1x!quant.uniform<i16:f32, 1.0528885759413242e-03>>
// CHECK: return [[V]]
  func.func @transpose_conv(%arg0: tensor<1x2x2x1x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x4x4x1x!quant.uniform<i8:f32, 0.25:10>> {
    %shape = "tfl.pseudo_const"() {value = dense<[1, 4, 4, 1]> : tensor<4xi32>} : () -> tensor<4xi32>
    %w = "tfl.pseudo_qconst"() {qtype = tensor<1x2x2x1x!quant.uniform<i8<-127:127>:f32, 0.5>>, value = dense<[[[[1], [2]], [[3], [4]]]]> : tensor<1x2x2x1xi8>} : () -> tensor<1x2x2x1x!quant.uniform<i8<-127:127>:f32, 0.5>>
    %b = "tfl.pseudo_qconst"() {qtype = tensor<1x!quant.uniform<i32:f32, 0.5>>, value = dense<10> : tensor<1xi32>} : () -> tensor<1x!quant.uniform<i32:f32, 0.5>>
    %0 = "tfl.transpose_conv"(%shape, %w, %arg0, %b) {fused_activation_function = "NONE", padding = "SAME", stride_h = 2 : i32, stride_w = 2 : i32} : (tensor<4xi32>, tensor<1x2x2x1x!quant.uniform<i8<-127:127>:f32, 0.5>>, tensor<1x2x2x1x!quant.uniform<i8:f32, 1.0>>, tensor<1x!quant.uniform<i32:f32, 0.5>>) -> tensor<1x4x4x1x!quant.uniform<i8:f32, 0.25:10>>
    return %0 : tensor<1x4x4x1x!quant.uniform<i8:f32, 0.25:10>>
  }

// ---- elementwise: activation constants are requantized, pot_scale_int16 = false ----------------

// The constant operand of an add is an activation: its data is re-encoded (q16 = round(q8*s8/s16)).
// CHECK-LABEL: func.func @add_constant(
// CHECK: [[C:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<3x!quant.uniform<i16:f32, 3.906369209289551e-03>>, value = dense<[256, -32767, 32511]> : tensor<3xi16>}
// CHECK: [[V:%.*]] = "tfl.add"(%arg0, [[C]]) {fused_activation_function = "NONE", pot_scale_int16 = false} : (tensor<1x3x!quant.uniform<i16:f32, 3.906369209289551e-03>>, tensor<3x!quant.uniform<i16:f32, 3.906369209289551e-03>>) -> tensor<1x3x!quant.uniform<i16:f32, 3.8911099545657635e-03>>
// CHECK: return [[V]]
  func.func @add_constant(%arg0: tensor<1x3x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x3x!quant.uniform<i8:f32, 0.5:-128>> {
    %c = "tfl.pseudo_qconst"() {qtype = tensor<3x!quant.uniform<i8:f32, 1.0>>, value = dense<[1, -128, 127]> : tensor<3xi8>} : () -> tensor<3x!quant.uniform<i8:f32, 1.0>>
    %0 = "tfl.add"(%arg0, %c) {fused_activation_function = "NONE"} : (tensor<1x3x!quant.uniform<i8:f32, 1.0>>, tensor<3x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x3x!quant.uniform<i8:f32, 0.5:-128>>
    return %0 : tensor<1x3x!quant.uniform<i8:f32, 0.5:-128>>
  }

// One constant used by two ops is converted once (in place, still one constant).
// CHECK-LABEL: func.func @shared_constant(
// CHECK: [[C:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<3x!quant.uniform<i16:f32, 3.906369209289551e-03>>, value = dense<[256, 512, 768]> : tensor<3xi16>}
// CHECK-NOT: "tfl.pseudo_qconst"
// CHECK: [[A:%.*]] = "tfl.mul"(%arg0, [[C]])
// CHECK: [[B:%.*]] = "tfl.sub"([[A]], [[C]]) {fused_activation_function = "NONE", pot_scale_int16 = false}
// CHECK: return [[B]]
  func.func @shared_constant(%arg0: tensor<1x3x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x3x!quant.uniform<i8:f32, 1.0>> {
    %c = "tfl.pseudo_qconst"() {qtype = tensor<3x!quant.uniform<i8:f32, 1.0>>, value = dense<[1, 2, 3]> : tensor<3xi8>} : () -> tensor<3x!quant.uniform<i8:f32, 1.0>>
    %0 = "tfl.mul"(%arg0, %c) {fused_activation_function = "NONE"} : (tensor<1x3x!quant.uniform<i8:f32, 1.0>>, tensor<3x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x3x!quant.uniform<i8:f32, 1.0>>
    %1 = "tfl.sub"(%0, %c) {fused_activation_function = "NONE"} : (tensor<1x3x!quant.uniform<i8:f32, 1.0>>, tensor<3x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x3x!quant.uniform<i8:f32, 1.0>>
    return %1 : tensor<1x3x!quant.uniform<i8:f32, 1.0>>
  }

// ---- fixed int16 outputs: scale 2^-15, zero point 0 ---------------------------------------------

// CHECK-LABEL: func.func @fixed_outputs(
// CHECK: [[L:%.*]] = "tfl.logistic"(%arg0) : (tensor<1x8x!quant.uniform<i16:f32, 1.0528885759413242e-03>>) -> tensor<1x8x!quant.uniform<i16:f32, 3.0517578125e-05>>
// CHECK: [[T:%.*]] = "tfl.tanh"(%arg0) : (tensor<1x8x!quant.uniform<i16:f32, 1.0528885759413242e-03>>) -> tensor<1x8x!quant.uniform<i16:f32, 3.0517578125e-05>>
// CHECK: [[S:%.*]] = "tfl.softmax"(%arg0) {beta = 1.000000e+00 : f32} : (tensor<1x8x!quant.uniform<i16:f32, 1.0528885759413242e-03>>) -> tensor<1x8x!quant.uniform<i16:f32, 3.0517578125e-05>>
// CHECK: return [[L]], [[T]], [[S]] : tensor<1x8x!quant.uniform<i16:f32, 3.0517578125e-05>>, tensor<1x8x!quant.uniform<i16:f32, 3.0517578125e-05>>, tensor<1x8x!quant.uniform<i16:f32, 3.0517578125e-05>>
  func.func @fixed_outputs(%arg0: tensor<1x8x!quant.uniform<i8:f32, 0.25:10>>) -> (tensor<1x8x!quant.uniform<i8:f32, 3.906250e-03:-128>>, tensor<1x8x!quant.uniform<i8:f32, 7.812500e-03>>, tensor<1x8x!quant.uniform<i8:f32, 3.906250e-03:-128>>) {
    %0 = "tfl.logistic"(%arg0) : (tensor<1x8x!quant.uniform<i8:f32, 0.25:10>>) -> tensor<1x8x!quant.uniform<i8:f32, 3.906250e-03:-128>>
    %1 = "tfl.tanh"(%arg0) : (tensor<1x8x!quant.uniform<i8:f32, 0.25:10>>) -> tensor<1x8x!quant.uniform<i8:f32, 7.812500e-03>>
    %2 = "tfl.softmax"(%arg0) {beta = 1.000000e+00 : f32} : (tensor<1x8x!quant.uniform<i8:f32, 0.25:10>>) -> tensor<1x8x!quant.uniform<i8:f32, 3.906250e-03:-128>>
    return %0, %1, %2 : tensor<1x8x!quant.uniform<i8:f32, 3.906250e-03:-128>>, tensor<1x8x!quant.uniform<i8:f32, 7.812500e-03>>, tensor<1x8x!quant.uniform<i8:f32, 3.906250e-03:-128>>
  }

// ---- same-scale ops keep sharing their operand's (possibly fixed) type --------------------------

// CHECK-LABEL: func.func @same_scale(
// CHECK: [[L:%.*]] = "tfl.logistic"(%arg0) : ({{.*}}) -> tensor<1x2x2x2x!quant.uniform<i16:f32, 3.0517578125e-05>>
// CHECK: [[P:%.*]] = "tfl.max_pool_2d"([[L]]) {{.*}} : (tensor<1x2x2x2x!quant.uniform<i16:f32, 3.0517578125e-05>>) -> tensor<1x1x1x2x!quant.uniform<i16:f32, 3.0517578125e-05>>
// CHECK: [[R:%.*]] = "tfl.reshape"([[P]], {{%.*}}) : (tensor<1x1x1x2x!quant.uniform<i16:f32, 3.0517578125e-05>>, tensor<2xi32>) -> tensor<1x2x!quant.uniform<i16:f32, 3.0517578125e-05>>
// CHECK-NOT: "tfl.quantize"
// CHECK: return [[R]]
  func.func @same_scale(%arg0: tensor<1x2x2x2x!quant.uniform<i8:f32, 0.25:10>>) -> tensor<1x2x!quant.uniform<i8:f32, 3.906250e-03:-128>> {
    %0 = "tfl.logistic"(%arg0) : (tensor<1x2x2x2x!quant.uniform<i8:f32, 0.25:10>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 3.906250e-03:-128>>
    %1 = "tfl.max_pool_2d"(%0) {filter_height = 2 : i32, filter_width = 2 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 2 : i32, stride_w = 2 : i32} : (tensor<1x2x2x2x!quant.uniform<i8:f32, 3.906250e-03:-128>>) -> tensor<1x1x1x2x!quant.uniform<i8:f32, 3.906250e-03:-128>>
    %shape = "tfl.pseudo_const"() {value = dense<[1, 2]> : tensor<2xi32>} : () -> tensor<2xi32>
    %2 = "tfl.reshape"(%1, %shape) : (tensor<1x1x1x2x!quant.uniform<i8:f32, 3.906250e-03:-128>>, tensor<2xi32>) -> tensor<1x2x!quant.uniform<i8:f32, 3.906250e-03:-128>>
    return %2 : tensor<1x2x!quant.uniform<i8:f32, 3.906250e-03:-128>>
  }

// ---- quantize / dequantize at float boundaries -------------------------------------------------

// CHECK-LABEL: func.func @float_boundaries(
// CHECK-SAME: %arg0: tensor<1x4xf32>) -> tensor<1x4xf32>
// CHECK: [[Q:%.*]] = "tfl.quantize"(%arg0) {qtype = tensor<1x4x!quant.uniform<i16:f32, 3.906369209289551e-03>>} : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i16:f32, 3.906369209289551e-03>>
// CHECK: [[R:%.*]] = "tfl.relu"([[Q]]) : (tensor<1x4x!quant.uniform<i16:f32, 3.906369209289551e-03>>) -> tensor<1x4x!quant.uniform<i16:f32, 3.906369209289551e-03>>
// CHECK: [[D:%.*]] = "tfl.dequantize"([[R]]) : (tensor<1x4x!quant.uniform<i16:f32, 3.906369209289551e-03>>) -> tensor<1x4xf32>
// CHECK: return [[D]]
  func.func @float_boundaries(%arg0: tensor<1x4xf32>) -> tensor<1x4xf32> {
    %0 = "tfl.quantize"(%arg0) {qtype = tensor<1x4x!quant.uniform<i8:f32, 1.0>>} : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, 1.0>>
    %1 = "tfl.relu"(%0) : (tensor<1x4x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x4x!quant.uniform<i8:f32, 1.0>>
    %2 = "tfl.dequantize"(%1) : (tensor<1x4x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x4xf32>
    return %2 : tensor<1x4xf32>
  }

// ---- ops without an int16 kernel stay int8, bridged with tfl.quantize (and a warning) ----------

// CHECK-LABEL: func.func @no_int16_kernel(
// CHECK: [[A:%.*]] = "tfl.relu"(%arg0) : (tensor<1x8x!quant.uniform<i16:f32, 1.0528885759413242e-03>>) -> tensor<1x8x!quant.uniform<i16:f32, 1.0528885759413242e-03>>
// CHECK: [[D:%.*]] = "tfl.quantize"([[A]]) {qtype = tensor<1x8x!quant.uniform<i8:f32, 2.500000e-01:10>>} : (tensor<1x8x!quant.uniform<i16:f32, 1.0528885759413242e-03>>) -> tensor<1x8x!quant.uniform<i8:f32, 2.500000e-01:10>>
// CHECK: [[L:%.*]] = "tfl.log_softmax"([[D]]) : (tensor<1x8x!quant.uniform<i8:f32, 2.500000e-01:10>>) -> tensor<1x8x!quant.uniform<i8:f32, 6.250000e-02:127>>
// CHECK: [[U:%.*]] = "tfl.quantize"([[L]]) {qtype = tensor<1x8x!quant.uniform<i16:f32, 4.8638874432072043e-04>>} : (tensor<1x8x!quant.uniform<i8:f32, 6.250000e-02:127>>) -> tensor<1x8x!quant.uniform<i16:f32, 4.8638874432072043e-04>>
// CHECK: [[N:%.*]] = "tfl.relu"([[U]]) : (tensor<1x8x!quant.uniform<i16:f32, 4.8638874432072043e-04>>) -> tensor<1x8x!quant.uniform<i16:f32, 4.8638874432072043e-04>>
// CHECK: return [[N]]
  func.func @no_int16_kernel(%arg0: tensor<1x8x!quant.uniform<i8:f32, 0.25:10>>) -> tensor<1x8x!quant.uniform<i8:f32, 6.250000e-02:127>> {
    %0 = "tfl.relu"(%arg0) : (tensor<1x8x!quant.uniform<i8:f32, 0.25:10>>) -> tensor<1x8x!quant.uniform<i8:f32, 0.25:10>>
    %1 = "tfl.log_softmax"(%0) : (tensor<1x8x!quant.uniform<i8:f32, 0.25:10>>) -> tensor<1x8x!quant.uniform<i8:f32, 6.250000e-02:127>>
    %2 = "tfl.relu"(%1) : (tensor<1x8x!quant.uniform<i8:f32, 6.250000e-02:127>>) -> tensor<1x8x!quant.uniform<i8:f32, 6.250000e-02:127>>
    return %2 : tensor<1x8x!quant.uniform<i8:f32, 6.250000e-02:127>>
  }

// ---- UNIDIRECTIONAL_SEQUENCE_LSTM ---------------------------------------------------------------

// Input, hidden state (a variable: its zero-point initial value re-encoded) and output int16, the
// output with the hidden state's type; gate biases int64 with s_in16*s_w; cell state unchanged;
// the int8 effective-hidden intermediate becomes int16.
// CHECK-LABEL: func.func @lstm(
// CHECK-SAME: %arg0: tensor<1x2x3x!quant.uniform<i16:f32, 3.906369209289551e-03>>) -> tensor<1x2x2x!quant.uniform<i16:f32, 3.0518509447574615e-05>>
// CHECK: [[B:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i64:f32, 1.9531846191966906e-05>>, value = dense<5120> : tensor<2xi64>}
// CHECK: [[H:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<1x2x!quant.uniform<i16:f32, 3.0518509447574615e-05>>, tfl.is_variable, value = dense<0> : tensor<1x2xi16>}
// CHECK: [[C:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<1x2x!quant.uniform<i16:f32, 2.44140625e-04>>, tfl.is_variable, value = dense<0> : tensor<1x2xi16>}
// CHECK: [[V:%.*]] = "tfl.unidirectional_sequence_lstm"(%arg0, {{.*}}, [[B]], [[B]], [[B]], [[B]], {{%.*}}, {{%.*}}, [[H]], [[C]], {{.*}}) {{{.*}}effective_hidden_scale_intermediate = tensor<0x!quant.uniform<i16:f32, 3.0518509447574615e-05>>{{.*}}} : {{.*}} -> tensor<1x2x2x!quant.uniform<i16:f32, 3.0518509447574615e-05>>
// CHECK: return [[V]]
  func.func @lstm(%arg0: tensor<1x2x3x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x2x2x!quant.uniform<i8:f32, 7.8125e-03:-1>> {
    %w = "tfl.pseudo_qconst"() {qtype = tensor<2x3x!quant.uniform<i8<-127:127>:f32, 0.005>>, value = dense<10> : tensor<2x3xi8>} : () -> tensor<2x3x!quant.uniform<i8<-127:127>:f32, 0.005>>
    %r = "tfl.pseudo_qconst"() {qtype = tensor<2x2x!quant.uniform<i8<-127:127>:f32, 0.01>>, value = dense<-5> : tensor<2x2xi8>} : () -> tensor<2x2x!quant.uniform<i8<-127:127>:f32, 0.01>>
    %b = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32, 0.005>>, value = dense<20> : tensor<2xi32>} : () -> tensor<2x!quant.uniform<i32:f32, 0.005>>
    %none = "tfl.no_value"() {value} : () -> none
    %h = "tfl.pseudo_qconst"() {qtype = tensor<1x2x!quant.uniform<i8:f32, 7.8125e-03:-1>>, tfl.is_variable, value = dense<-1> : tensor<1x2xi8>} : () -> tensor<1x2x!quant.uniform<i8:f32, 7.8125e-03:-1>>
    %c = "tfl.pseudo_qconst"() {qtype = tensor<1x2x!quant.uniform<i16:f32, 2.44140625e-04>>, tfl.is_variable, value = dense<0> : tensor<1x2xi16>} : () -> tensor<1x2x!quant.uniform<i16:f32, 2.44140625e-04>>
    %0 = "tfl.unidirectional_sequence_lstm"(%arg0, %w, %w, %w, %w, %r, %r, %r, %r, %none, %none, %none, %b, %b, %b, %b, %none, %none, %h, %c, %none, %none, %none, %none) {asymmetric_quantize_inputs = false, cell_clip = 1.000000e+01 : f32, effective_hidden_scale_intermediate = tensor<0x!quant.uniform<i8:f32, 7.8125e-03:-1>>, fused_activation_function = "TANH", proj_clip = 0.000000e+00 : f32, time_major = false} : (tensor<1x2x3x!quant.uniform<i8:f32, 1.0>>, tensor<2x3x!quant.uniform<i8<-127:127>:f32, 0.005>>, tensor<2x3x!quant.uniform<i8<-127:127>:f32, 0.005>>, tensor<2x3x!quant.uniform<i8<-127:127>:f32, 0.005>>, tensor<2x3x!quant.uniform<i8<-127:127>:f32, 0.005>>, tensor<2x2x!quant.uniform<i8<-127:127>:f32, 0.01>>, tensor<2x2x!quant.uniform<i8<-127:127>:f32, 0.01>>, tensor<2x2x!quant.uniform<i8<-127:127>:f32, 0.01>>, tensor<2x2x!quant.uniform<i8<-127:127>:f32, 0.01>>, none, none, none, tensor<2x!quant.uniform<i32:f32, 0.005>>, tensor<2x!quant.uniform<i32:f32, 0.005>>, tensor<2x!quant.uniform<i32:f32, 0.005>>, tensor<2x!quant.uniform<i32:f32, 0.005>>, none, none, tensor<1x2x!quant.uniform<i8:f32, 7.8125e-03:-1>>, tensor<1x2x!quant.uniform<i16:f32, 2.44140625e-04>>, none, none, none, none) -> tensor<1x2x2x!quant.uniform<i8:f32, 7.8125e-03:-1>>
    return %0 : tensor<1x2x2x!quant.uniform<i8:f32, 7.8125e-03:-1>>
  }
}
