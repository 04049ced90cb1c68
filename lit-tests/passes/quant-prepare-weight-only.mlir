// RUN: qopt %s --passes=quant-prepare | filecheck %s
// RUN: qopt %s --passes=quant-prepare,quant-quantize,canonicalize | filecheck %s --check-prefix=Q
// RUN: qopt %s --passes='quant-prepare{mode=16x8},quant-quantize,canonicalize' | filecheck %s --check-prefix=Q16
// RUN: qopt %s --passes='quant-prepare{denylist=tfl.mul},quant-quantize,canonicalize' | filecheck %s --check-prefix=DENY
// RUN: qopt %s --passes=quant-prepare 2>&1 >/dev/null | filecheck %s --check-prefix=DIAG --allow-empty
//
// Weight-only quantized models: weights stored as f16 or int8 constants and dequantized to f32 for
// float ops. A dequantize of a constant reads as that constant: an int8 one is kept when it fits
// the plan (as a hybrid model's weights), an f16 one is the float constant of its exactly widened
// values (1.5, -0.25, 0.099975586 = f16(0.1), ...). The dequantize and its constant disappear once
// unused; nothing stays float and nothing is reported.

module {
// The int8 per-channel weights are that very constant, read through its own dequantize.
// CHECK-LABEL: func.func @conv_int8_weights(
// CHECK:      [[W:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<2x1x1x1x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>, value = dense<{{\[\[\[\[}}10]]], {{\[\[\[}}-20]]]]> : tensor<2x1x1x1xi8>}
// CHECK-NEXT: [[WD:%.*]] = "tfl.dequantize"([[W]])
// CHECK:      "tfl.conv_2d"({{%.*}}, [[WD]],
// Q-LABEL: func.func @conv_int8_weights(
// Q:      [[W:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<2x1x1x1x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>, value = dense<{{\[\[\[\[}}10]]], {{\[\[\[}}-20]]]]> : tensor<2x1x1x1xi8>}
// Q-NOT:  "tfl.dequantize"([[W]])
// Q:      "tfl.conv_2d"({{%.*}}, [[W]],
// Q16-LABEL: func.func @conv_int8_weights(
// Q16:       "tfl.conv_2d"{{.*}} -> tensor<1x2x2x2x!quant.uniform<i16:f32
  func.func @conv_int8_weights(%arg0: tensor<1x2x2x1xf32>) -> tensor<1x2x2x2xf32> {
    %x = "quantfork.stats"(%arg0) {layerStats = dense<[-1.0, 2.0]> : tensor<2xf32>} : (tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
    %wq = "tfl.pseudo_qconst"() {qtype = tensor<2x1x1x1x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>, value = dense<[[[[10]]], [[[-20]]]]> : tensor<2x1x1x1xi8>} : () -> tensor<2x1x1x1x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>
    %w = "tfl.dequantize"(%wq) : (tensor<2x1x1x1x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>) -> tensor<2x1x1x1xf32>
    %b = "tfl.pseudo_const"() {value = dense<[1.0, -1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
    %c = "tfl.conv_2d"(%x, %w, %b) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
    %y = "quantfork.stats"(%c) {layerStats = dense<[-4.0, 4.0]> : tensor<2xf32>} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
    return %y : tensor<1x2x2x2xf32>
  }

// f16 weights and bias: quantized from their widened values (max |w| = 1.5 -> scale 1.5 / 127).
// CHECK-LABEL: func.func @fc_f16(
// CHECK-NOT:  f16
// CHECK:      "tfl.pseudo_qconst"() {qtype = tensor<2x3x!quant.uniform<i8<-127:127>:f32, 1.1811023578047752e-02>>, value = dense<{{\[\[}}127, -21, 8], [0, 64, -127]]> : tensor<2x3xi8>}
// The bias is f16(0.1) = 0.0999755859375 over s_in * s_w: 719 (0.1 would give 720).
// CHECK:      "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32, 1.389532262692228e-04>>, value = dense<[719, -1439]> : tensor<2xi32>}
// CHECK:      "tfl.fully_connected"
// Q-LABEL: func.func @fc_f16(
// Q-NOT:  f16
// Q-NOT:  "tfl.dequantize"
// Q:      "tfl.fully_connected"{{.*}} -> tensor<1x2x!quant.uniform<i8:f32
// Q16-LABEL: func.func @fc_f16(
// Q16-NOT:  f16
// Q16:      "tfl.fully_connected"{{.*}} -> tensor<1x2x!quant.uniform<i16:f32
  func.func @fc_f16(%arg0: tensor<1x3xf32>) -> tensor<1x2xf32> {
    %x = "quantfork.stats"(%arg0) {layerStats = dense<[-1.0, 2.0]> : tensor<2xf32>} : (tensor<1x3xf32>) -> tensor<1x3xf32>
    %wh = "tfl.pseudo_const"() {value = dense<[[1.5, -0.25, 0.1], [0.0, 0.75, -1.5]]> : tensor<2x3xf16>} : () -> tensor<2x3xf16>
    %w = "tfl.dequantize"(%wh) : (tensor<2x3xf16>) -> tensor<2x3xf32>
    %bh = "tfl.pseudo_const"() {value = dense<[0.1, -0.2]> : tensor<2xf16>} : () -> tensor<2xf16>
    %b = "tfl.dequantize"(%bh) : (tensor<2xf16>) -> tensor<2xf32>
    %f = "tfl.fully_connected"(%x, %w, %b) {asymmetric_quantize_inputs = false, fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
    %y = "quantfork.stats"(%f) {layerStats = dense<[-4.0, 4.0]> : tensor<2xf32>} : (tensor<1x2xf32>) -> tensor<1x2xf32>
    return %y : tensor<1x2xf32>
  }

// A dequantized f16 constant in an activation position (add's second operand) is a constant there.
// Q-LABEL: func.func @add_f16(
// Q-NOT:  f16
// Q-NOT:  "tfl.dequantize"
// Q:      "tfl.add"{{.*}} -> tensor<1x4x!quant.uniform<i8:f32
  func.func @add_f16(%arg0: tensor<1x4xf32>) -> tensor<1x4xf32> {
    %x = "quantfork.stats"(%arg0) {layerStats = dense<[-1.0, 2.0]> : tensor<2xf32>} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    %ch = "tfl.pseudo_const"() {value = dense<[[0.5, -1.0, 0.25, 2.0]]> : tensor<1x4xf16>} : () -> tensor<1x4xf16>
    %c = "tfl.dequantize"(%ch) : (tensor<1x4xf16>) -> tensor<1x4xf32>
    %a = "tfl.add"(%x, %c) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
    %y = "quantfork.stats"(%a) {layerStats = dense<[-2.0, 4.0]> : tensor<2xf32>} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    return %y : tensor<1x4xf32>
  }

// A float op (here denylisted) keeps reading the f16 constant through its dequantize; the quantized
// add reads its own int8 copy.
// DENY-LABEL: func.func @shared_f16(
// DENY:      [[H:%.*]] = "tfl.pseudo_const"() {{.*}} : () -> tensor<1x4xf16>
// DENY-NEXT: [[D:%.*]] = "tfl.dequantize"([[H]])
// DENY-NEXT: [[C:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<1x4x!quant.uniform<i8:f32, 1.17647061124444e-02:-43>>, value = dense<{{\[\[}}-1, -128, -22, 127]]> : tensor<1x4xi8>}
// DENY-NEXT: "tfl.add"({{%.*}}, [[C]])
// DENY:      "tfl.mul"({{%.*}}, [[D]]) {{.*}} -> tensor<1x4xf32>
  func.func @shared_f16(%arg0: tensor<1x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
    %x = "quantfork.stats"(%arg0) {layerStats = dense<[-1.0, 2.0]> : tensor<2xf32>} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    %ch = "tfl.pseudo_const"() {value = dense<[[0.5, -1.0, 0.25, 2.0]]> : tensor<1x4xf16>} : () -> tensor<1x4xf16>
    %c = "tfl.dequantize"(%ch) : (tensor<1x4xf16>) -> tensor<1x4xf32>
    %a = "tfl.add"(%x, %c) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
    %y = "quantfork.stats"(%a) {layerStats = dense<[-2.0, 4.0]> : tensor<2xf32>} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    %m = "tfl.mul"(%y, %c) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
    %z = "quantfork.stats"(%m) {layerStats = dense<[-8.0, 8.0]> : tensor<2xf32>} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    return %y, %z : tensor<1x4xf32>, tensor<1x4xf32>
  }
}
// DIAG-NOT: warning
// DIAG-NOT: remark
