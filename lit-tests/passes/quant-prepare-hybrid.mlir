// RUN: qopt %s --passes=quant-prepare | filecheck %s
// RUN: qopt %s --passes='quant-prepare{mode=16x8}' | filecheck %s --check-prefix=W16
// RUN: qopt %s --passes=quant-prepare,quant-quantize,canonicalize | filecheck %s --check-prefix=Q
// RUN: qopt %s --passes=quant-prepare 2>&1 >/dev/null | filecheck %s --check-prefix=DIAG
// RUN: qopt %s --passes='quant-prepare{mode=16x8}' 2>&1 >/dev/null | filecheck %s --check-prefix=DIAG16
//
// Hybrid (dynamic-range quantized) ops: float activations, weights already int8 (tfl.pseudo_qconst
// used straight by a float op). Weights that fit the plan (int8, zero point 0, [-127, 127], per
// tensor or per channel on the op's channel axis) are that very constant behind a dequantize — the
// same bytes and scales, in int8 and in 16x8 — and the bias scale derives from them: input [-1, 2]
// -> s_in = 3/255 (int8) or 2/32767 (16x8); conv bias 1.0 / (s_in * 0.5) = 170 (int8), 32767 (16x8).
// Weights that do not fit (here a -128) are dequantized and quantized again, with a remark. A
// quantized constant in an activation position (batch_matmul's constant side) keeps its own type
// when it is an activation type of the mode (int8 asymmetric), else it is requantized (16x8: int16).

module {
// CHECK-LABEL: func.func @conv_per_channel(
// CHECK:      [[W:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<2x1x1x1x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>, value = dense<{{\[\[\[\[}}10]]], {{\[\[\[}}-20]]]]> : tensor<2x1x1x1xi8>}
// CHECK-NEXT: [[WD:%.*]] = "tfl.dequantize"([[W]]) : ({{.*}}) -> tensor<2x1x1x1xf32>
// CHECK-NEXT: [[B:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32:0, {5.8823530562222e-03,2.9411765281111e-03}>>, value = dense<[170, -340]> : tensor<2xi32>}
// CHECK-NEXT: [[BD:%.*]] = "tfl.dequantize"([[B]])
// CHECK-NEXT: "tfl.conv_2d"({{%.*}}, [[WD]], [[BD]])
// W16-LABEL: func.func @conv_per_channel(
// W16:       "tfl.pseudo_qconst"() {qtype = tensor<2x1x1x1x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>, value = dense<{{\[\[\[\[}}10]]], {{\[\[\[}}-20]]]]> : tensor<2x1x1x1xi8>}
// W16:       "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i64:f32:0, {3.0518509447574615e-05,1.5259254723787308e-05}>>, value = dense<[32767, -65534]> : tensor<2xi64>}
// Q-LABEL: func.func @conv_per_channel(
// Q:      [[W:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<2x1x1x1x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>, value = dense<{{\[\[\[\[}}10]]], {{\[\[\[}}-20]]]]> : tensor<2x1x1x1xi8>}
// Q-NEXT: [[B:%.*]] = "tfl.pseudo_qconst"()
// Q-NEXT: "tfl.conv_2d"({{%.*}}, [[W]], [[B]]) {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 3.13725508749485e-02:-1>>
// Q-NOT:  "tfl.dequantize"([[W]])
  func.func @conv_per_channel(%arg0: tensor<1x2x2x1xf32>) -> tensor<1x2x2x2xf32> {
    %x = "quantfork.stats"(%arg0) {layerStats = dense<[-1.0, 2.0]> : tensor<2xf32>} : (tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
    %w = "tfl.pseudo_qconst"() {qtype = tensor<2x1x1x1x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>, value = dense<[[[[10]]], [[[-20]]]]> : tensor<2x1x1x1xi8>} : () -> tensor<2x1x1x1x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>
    %b = "tfl.pseudo_const"() {value = dense<[1.0, -1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
    %c = "tfl.conv_2d"(%x, %w, %b) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x2x2x1xf32>, tensor<2x1x1x1x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
    %y = "quantfork.stats"(%c) {layerStats = dense<[-4.0, 4.0]> : tensor<2xf32>} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
    return %y : tensor<1x2x2x2xf32>
  }

// Per-tensor weights stay per tensor although the plan would make conv weights per channel.
// CHECK-LABEL: func.func @conv_per_tensor(
// CHECK:      [[W:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<2x1x1x1x!quant.uniform<i8:f32, 5.000000e-01>>, value = dense<{{\[\[\[\[}}10]]], {{\[\[\[}}-20]]]]> : tensor<2x1x1x1xi8>}
// CHECK-NEXT: [[WD:%.*]] = "tfl.dequantize"([[W]])
// CHECK-NEXT: "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32, 5.8823530562222e-03>>, value = dense<[170, -170]> : tensor<2xi32>}
// CHECK-NEXT: "tfl.dequantize"
// CHECK-NEXT: "tfl.conv_2d"({{%.*}}, [[WD]],
  func.func @conv_per_tensor(%arg0: tensor<1x2x2x1xf32>) -> tensor<1x2x2x2xf32> {
    %x = "quantfork.stats"(%arg0) {layerStats = dense<[-1.0, 2.0]> : tensor<2xf32>} : (tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
    %w = "tfl.pseudo_qconst"() {qtype = tensor<2x1x1x1x!quant.uniform<i8:f32, 5.000000e-01>>, value = dense<[[[[10]]], [[[-20]]]]> : tensor<2x1x1x1xi8>} : () -> tensor<2x1x1x1x!quant.uniform<i8:f32, 5.000000e-01>>
    %b = "tfl.pseudo_const"() {value = dense<[1.0, -1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
    %c = "tfl.conv_2d"(%x, %w, %b) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x2x2x1xf32>, tensor<2x1x1x1x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
    %y = "quantfork.stats"(%c) {layerStats = dense<[-4.0, 4.0]> : tensor<2xf32>} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
    return %y : tensor<1x2x2x2xf32>
  }

// -128 is outside int8 weights' narrow range: requantized, 1.27 / 127 per step.
// CHECK-LABEL: func.func @fc_outside_narrow_range(
// CHECK:      "tfl.pseudo_qconst"() {qtype = tensor<2x3x!quant.uniform<i8<-127:127>:f32, 1.0078740306198597e-02>>, value = dense<{{\[\[}}50, -127, 25], [126, 0, -64]]> : tensor<2x3xi8>}
// CHECK-NOT:  value = dense<{{\[\[}}50, -128, 25]
// CHECK:      "tfl.fully_connected"
// DIAG: remark: 'tfl.fully_connected' op: the quantized weights of operand #1 do not fit (it holds -128, outside the narrow range [-127, 127] of int8 weights): dequantized and quantized again
// DIAG-NOT: remark:
// DIAG16: remark: 'tfl.fully_connected' op: the quantized weights of operand #1 do not fit (it holds -128
  func.func @fc_outside_narrow_range(%arg0: tensor<1x3xf32>) -> tensor<1x2xf32> {
    %x = "quantfork.stats"(%arg0) {layerStats = dense<[-1.0, 2.0]> : tensor<2xf32>} : (tensor<1x3xf32>) -> tensor<1x3xf32>
    %w = "tfl.pseudo_qconst"() {qtype = tensor<2x3x!quant.uniform<i8:f32, 1.000000e-02>>, value = dense<[[50, -128, 25], [127, 0, -64]]> : tensor<2x3xi8>} : () -> tensor<2x3x!quant.uniform<i8:f32, 1.000000e-02>>
    %b = "tfl.pseudo_const"() {value = dense<[0.1, -0.2]> : tensor<2xf32>} : () -> tensor<2xf32>
    %f = "tfl.fully_connected"(%x, %w, %b) {asymmetric_quantize_inputs = false, fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x3xf32>, tensor<2x3x!quant.uniform<i8:f32, 1.000000e-02>>, tensor<2xf32>) -> tensor<1x2xf32>
    %y = "quantfork.stats"(%f) {layerStats = dense<[-4.0, 4.0]> : tensor<2xf32>} : (tensor<1x2xf32>) -> tensor<1x2xf32>
    return %y : tensor<1x2xf32>
  }

// CHECK-LABEL: func.func @bmm_constant_side(
// CHECK:      [[Y:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<3x2x!quant.uniform<i8:f32, 2.500000e-01:3>>, value = dense<{{\[\[}}4, -8], [12, 0], [-20, 1]]> : tensor<3x2xi8>}
// CHECK-NEXT: [[YD:%.*]] = "tfl.dequantize"([[Y]])
// CHECK-NEXT: "tfl.batch_matmul"({{%.*}}, [[YD]])
// W16-LABEL: func.func @bmm_constant_side(
// W16:       "tfl.pseudo_qconst"() {qtype = tensor<3x2x!quant.uniform<i16:f32, 1.7548142932355404e-04>>, value = dense<{{\[\[}}1425, -15671], [12822, -4274], [-32767, -2849]]> : tensor<3x2xi16>}
// DIAG16: remark: 'tfl.batch_matmul' op: the quantized constant operand #1 is dequantized and quantized again with the parameters it needs here
  func.func @bmm_constant_side(%arg0: tensor<1x2x3xf32>) -> tensor<1x2x2xf32> {
    %x = "quantfork.stats"(%arg0) {layerStats = dense<[-1.0, 2.0]> : tensor<2xf32>} : (tensor<1x2x3xf32>) -> tensor<1x2x3xf32>
    %w = "tfl.pseudo_qconst"() {qtype = tensor<3x2x!quant.uniform<i8:f32, 2.500000e-01:3>>, value = dense<[[4, -8], [12, 0], [-20, 1]]> : tensor<3x2xi8>} : () -> tensor<3x2x!quant.uniform<i8:f32, 2.500000e-01:3>>
    %m = "tfl.batch_matmul"(%x, %w) {adj_x = false, adj_y = false} : (tensor<1x2x3xf32>, tensor<3x2x!quant.uniform<i8:f32, 2.500000e-01:3>>) -> tensor<1x2x2xf32>
    %y = "quantfork.stats"(%m) {layerStats = dense<[-4.0, 4.0]> : tensor<2xf32>} : (tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
    return %y : tensor<1x2x2xf32>
  }
}
