// RUN: qopt %s --passes=quant-prepare | filecheck %s
// RUN: qopt %s --passes='quant-prepare{mode=16x8}' | filecheck %s --check-prefix=W16
// RUN: qopt %s --passes='quant-prepare{io-type=int8}' | filecheck %s --check-prefix=IO
// RUN: qopt %s --passes='quant-prepare{denylist=tfl.logistic,skip_me,mid}' | filecheck %s --check-prefix=DENY
// RUN: qopt %s --passes=quant-prepare 2>&1 >/dev/null | filecheck %s --check-prefix=DIAG
// RUN: not qopt %s --passes=quant-prepare --strict 2>&1 >/dev/null | filecheck %s --check-prefix=STRICT
//
// quant-prepare writes its decisions as quantize/dequantize pairs (the Q/DQ form quant-quantize
// reads). Ranges come from quantfork.stats (removed) or !quant.calibrated types (stripped).
// int8 activations: scale = (max - min) / 255 over [min(min,0), max(max,0)], zero point
// round(-128 - min / scale): [-1, 2] -> 3/255 = 1.17647061e-02 : -43; [-4, 4] -> 8/255 : -1.
// Weights: symmetric, [-127, 127], max|w| / 127; biases int32 with scale s_in * s_w.

module {
// CHECK-LABEL: func.func @fc(
// CHECK-NEXT: [[Q:%.*]] = "tfl.quantize"(%arg0) {qtype = tensor<1x3x!quant.uniform<i8:f32, 1.17647061124444e-02:-43>>}
// CHECK-NEXT: [[X:%.*]] = "tfl.dequantize"([[Q]])
// CHECK-NEXT: [[W:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<2x3x!quant.uniform<i8<-127:127>:f32, 9.999999776482582e-03>>, value = dense<{{\[\[}}50, -100, 25], [127, 0, -64]]> : tensor<2x3xi8>}
// CHECK-NEXT: [[WD:%.*]] = "tfl.dequantize"([[W]])
// CHECK-NEXT: [[B:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32, 1.1764706141548231e-04>>, value = dense<[850, -1700]> : tensor<2xi32>}
// CHECK-NEXT: [[BD:%.*]] = "tfl.dequantize"([[B]])
// CHECK-NEXT: [[FC:%.*]] = "tfl.fully_connected"([[X]], [[WD]], [[BD]]) {{{.*}}quantized_bias_type = "INT32"{{.*}}} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
// CHECK-NEXT: [[QO:%.*]] = "tfl.quantize"([[FC]]) {qtype = tensor<1x2x!quant.uniform<i8:f32, 3.13725508749485e-02:-1>>}
// CHECK-NEXT: [[O:%.*]] = "tfl.dequantize"([[QO]])
// CHECK-NEXT: return [[O]] :
// 16x8: int16 symmetric activations (max|x| / 32767), int64 bias with scale s_in * s_w.
// W16-LABEL: func.func @fc(
// W16: "tfl.quantize"(%arg0) {qtype = tensor<1x3x!quant.uniform<i16:f32, 6.103701889514923e-05>>}
// W16: "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i64:f32, 6.103701934989658e-07>>, value = dense<[163835, -327670]> : tensor<2xi64>}
// W16: "tfl.fully_connected"({{.*}}quantized_bias_type = "INT64"
// W16: "tfl.quantize"({{.*}}) {qtype = tensor<1x2x!quant.uniform<i16:f32, 1.2207403779029846e-04>>}
// Integer I/O: the argument and the result take the quantized types.
// IO-LABEL: func.func @fc(
// IO-SAME: %arg0: tensor<1x3x!quant.uniform<i8:f32, 1.17647061124444e-02:-43>>) -> tensor<1x2x!quant.uniform<i8:f32, 3.13725508749485e-02:-1>>
// IO-NEXT: "tfl.dequantize"(%arg0)
// IO: [[QO:%.*]] = "tfl.quantize"
// IO-NEXT: return [[QO]] :
  func.func @fc(%arg0: tensor<1x3xf32>) -> tensor<1x2xf32> {
    %x = "quantfork.stats"(%arg0) {layerStats = dense<[-1.0, 2.0]> : tensor<2xf32>} : (tensor<1x3xf32>) -> tensor<1x3xf32>
    %w = "tfl.pseudo_const"() {value = dense<[[0.5, -1.0, 0.25], [1.27, 0.0, -0.635]]> : tensor<2x3xf32>} : () -> tensor<2x3xf32>
    %b = "tfl.pseudo_const"() {value = dense<[0.1, -0.2]> : tensor<2xf32>} : () -> tensor<2xf32>
    %0 = "tfl.fully_connected"(%x, %w, %b) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
    %1 = "quantfork.stats"(%0) {layerStats = dense<[-4.0, 4.0]> : tensor<2xf32>} : (tensor<1x2xf32>) -> tensor<1x2xf32>
    return %1 : tensor<1x2xf32>
  }

// Same-scale ops: the reshape output takes its input's parameters (no stats of its own needed);
// the concatenation keeps its output's and the input with other parameters (%arg0) is requantized
// for that use only; logistic has a fixed output (int8 1/256 : -128, 16x8 2^-15 : 0).
// CHECK-LABEL: func.func @same_scale(
// CHECK: [[Q0:%.*]] = "tfl.quantize"(%arg0) {qtype = tensor<1x4x!quant.uniform<i8:f32, 7.843137718737125e-03:-1>>}
// CHECK-NEXT: [[D0:%.*]] = "tfl.dequantize"([[Q0]])
// CHECK-NEXT: [[RQ:%.*]] = "tfl.quantize"([[D0]]) {qtype = tensor<1x4x!quant.uniform<i8:f32, 2.35294122248888e-02:-1>>}
// CHECK-NEXT: [[RD:%.*]] = "tfl.dequantize"([[RQ]])
// CHECK-NEXT: [[Q1:%.*]] = "tfl.quantize"(%arg1) {qtype = tensor<1x4x!quant.uniform<i8:f32, 2.35294122248888e-02:-1>>}
// CHECK-NEXT: [[D1:%.*]] = "tfl.dequantize"([[Q1]])
// CHECK: [[R:%.*]] = "tfl.reshape"([[D0]],
// CHECK-NEXT: "tfl.quantize"([[R]]) {qtype = tensor<2x2x!quant.uniform<i8:f32, 7.843137718737125e-03:-1>>}
// CHECK: [[C:%.*]] = "tfl.concatenation"([[RD]], [[D1]])
// CHECK-NEXT: "tfl.quantize"([[C]]) {qtype = tensor<1x8x!quant.uniform<i8:f32, 2.35294122248888e-02:-1>>}
// CHECK: [[L:%.*]] = "tfl.logistic"([[D1]])
// CHECK-NEXT: "tfl.quantize"([[L]]) {qtype = tensor<1x4x!quant.uniform<i8:f32, 3.906250e-03:-128>>}
// W16-LABEL: func.func @same_scale(
// W16: "tfl.logistic"
// W16-NEXT: "tfl.quantize"({{.*}}) {qtype = tensor<1x4x!quant.uniform<i16:f32, 3.0517578125e-05>>}
// Denylisted by op name, the logistic stays float (its result feeds no quantized op: no quantize).
// DENY-LABEL: func.func @same_scale(
// DENY: [[L:%.*]] = "tfl.logistic"({{.*}}) : (tensor<1x4xf32>) -> tensor<1x4xf32>
// DENY-NEXT: return {{.*}}, [[L]] :
  func.func @same_scale(%arg0: tensor<1x4xf32>, %arg1: tensor<1x4xf32>) -> (tensor<2x2xf32>, tensor<1x8xf32>, tensor<1x4xf32>) {
    %x = "quantfork.stats"(%arg0) {layerStats = dense<[-1.0, 1.0]> : tensor<2xf32>} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    %y = "quantfork.stats"(%arg1) {layerStats = dense<[-3.0, 3.0]> : tensor<2xf32>} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    %s = "tfl.pseudo_const"() {value = dense<[2, 2]> : tensor<2xi32>} : () -> tensor<2xi32>
    %r = "tfl.reshape"(%x, %s) : (tensor<1x4xf32>, tensor<2xi32>) -> tensor<2x2xf32>
    %c = "tfl.concatenation"(%x, %y) {axis = 1 : i32, fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x8xf32>
    %cs = "quantfork.stats"(%c) {layerStats = dense<[-3.0, 3.0]> : tensor<2xf32>} : (tensor<1x8xf32>) -> tensor<1x8xf32>
    %l = "tfl.logistic"(%y) : (tensor<1x4xf32>) -> tensor<1x4xf32>
    return %r, %cs, %l : tensor<2x2xf32>, tensor<1x8xf32>, tensor<1x4xf32>
  }

// Backward propagation: the float-only div has no stats on its result, the reshape after it does;
// the div result gets the reshape's parameters (a quantize right after the float div).
// CHECK-LABEL: func.func @backward(
// CHECK: [[D:%.*]] = "tfl.div"
// CHECK-NEXT: "tfl.quantize"([[D]]) {qtype = tensor<1x4x!quant.uniform<i8:f32, 1.9607843831181526e-02:-1>>}
// CHECK: "tfl.reshape"
// CHECK-NEXT: "tfl.quantize"({{.*}}) {qtype = tensor<4x!quant.uniform<i8:f32, 1.9607843831181526e-02:-1>>}
// DIAG: warning: 'tfl.div' op stays float: the op has no quantized form
// STRICT: error: 'tfl.div' op stays float: the op has no quantized form
  func.func @backward(%arg0: tensor<1x4xf32>) -> tensor<4xf32> {
    %s = "tfl.pseudo_const"() {value = dense<4> : tensor<1xi32>} : () -> tensor<1xi32>
    %d = "tfl.div"(%arg0, %arg0) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
    %r = "tfl.reshape"(%d, %s) : (tensor<1x4xf32>, tensor<1xi32>) -> tensor<4xf32>
    %rs = "quantfork.stats"(%r) {layerStats = dense<[-2.5, 2.5]> : tensor<2xf32>} : (tensor<4xf32>) -> tensor<4xf32>
    return %rs : tensor<4xf32>
  }

// One bias constant shared by two fully_connected ops whose inputs have different scales: each use
// gets its own int32 constant (scale s_in * s_w); the shared weights stay one constant.
// CHECK-LABEL: func.func @shared_bias(
// CHECK-COUNT-1: "tfl.pseudo_qconst"() {qtype = tensor<2x2x!quant.uniform<i8<-127:127>:f32
// CHECK-DAG: "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32, 3.9215687138494104e-05>>, value = dense<12750> : tensor<2xi32>}
// CHECK-DAG: "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32, 1.9607843569247052e-05>>, value = dense<25500> : tensor<2xi32>}
  func.func @shared_bias(%arg0: tensor<1x2xf32>, %arg1: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
    %x = "quantfork.stats"(%arg0) {layerStats = dense<[-1.0, 1.0]> : tensor<2xf32>} : (tensor<1x2xf32>) -> tensor<1x2xf32>
    %y = "quantfork.stats"(%arg1) {layerStats = dense<[-0.5, 0.5]> : tensor<2xf32>} : (tensor<1x2xf32>) -> tensor<1x2xf32>
    %w = "tfl.pseudo_const"() {value = dense<[[0.635, 0.1], [-0.2, 0.3]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
    %b = "tfl.pseudo_const"() {value = dense<0.5> : tensor<2xf32>} : () -> tensor<2xf32>
    %0 = "tfl.fully_connected"(%x, %w, %b) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
    %1 = "tfl.fully_connected"(%y, %w, %b) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
    %2 = "quantfork.stats"(%0) {layerStats = dense<[-1.0, 1.0]> : tensor<2xf32>} : (tensor<1x2xf32>) -> tensor<1x2xf32>
    %3 = "quantfork.stats"(%1) {layerStats = dense<[-1.0, 1.0]> : tensor<2xf32>} : (tensor<1x2xf32>) -> tensor<1x2xf32>
    return %2, %3 : tensor<1x2xf32>, tensor<1x2xf32>
  }

// conv_2d weights are per output channel (axis 0), and so is the bias (scale s_in * s_w[c]).
// A calibrated type on the argument works like a stats op.
// CHECK-LABEL: func.func @conv(
// CHECK-SAME: %arg0: tensor<1x2x2x1xf32>
// CHECK: "tfl.pseudo_qconst"() {qtype = tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {3.937007859349251e-03,7.874015718698502e-03}>>, value = dense<{{\[\[\[\[}}127]]], {{\[\[\[}}-127]]]]> : tensor<2x1x1x1xi8>}
// CHECK: "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32:0, {3.0878494726493955e-05,6.175698945298791e-05}>>, value = dense<[0, 1619]> : tensor<2xi32>}
// CHECK: "tfl.conv_2d"({{.*}}quantized_bias_type = "INT32"
// Denylisted by location, the conv stays float and nothing around it is quantized.
// DENY-LABEL: func.func @conv(
// DENY-NOT: "tfl.quantize"
// DENY: "tfl.conv_2d"(%arg0,
  func.func @conv(%arg0: tensor<1x2x2x1x!quant.calibrated<f32<-1.0:1.0>>>) -> tensor<1x2x2x2xf32> {
    %w = "tfl.pseudo_const"() {value = dense<[[[[0.5]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>} : () -> tensor<2x1x1x1xf32>
    %b = "tfl.pseudo_const"() {value = dense<[0.0, 0.1]> : tensor<2xf32>} : () -> tensor<2xf32>
    %0 = "tfl.conv_2d"(%arg0, %w, %b) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x2x2x1x!quant.calibrated<f32<-1.0:1.0>>>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32> loc("skip_me")
    %1 = "quantfork.stats"(%0) {layerStats = dense<[-1.0, 1.0]> : tensor<2xf32>} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
    return %1 : tensor<1x2x2x2xf32>
  }

// Denylisted by location prefix (mid matches mid/act), an op between quantized ops stays float
// between a dequantize and a quantize, marked qopt.keep_float for quant-quantize.
// DENY-LABEL: func.func @deny_middle(
// DENY: [[D:%.*]] = "tfl.dequantize"({{%.*}}) : (tensor<1x2x!quant.uniform<i8:f32, 3.921568859368563e-03:-128>>) -> tensor<1x2xf32>
// DENY-NEXT: [[T:%.*]] = "tfl.tanh"([[D]]) {qopt.keep_float} : (tensor<1x2xf32>) -> tensor<1x2xf32>
// DENY-NEXT: "tfl.quantize"([[T]])
// CHECK-LABEL: func.func @deny_middle(
// CHECK: "tfl.tanh"({{.*}}) : (tensor<1x2xf32>) -> tensor<1x2xf32>
// CHECK-NEXT: "tfl.quantize"({{.*}}) {qtype = tensor<1x2x!quant.uniform<i8:f32, 7.812500e-03>>}
  func.func @deny_middle(%arg0: tensor<1x2xf32>) -> tensor<1x2xf32> {
    %x = "quantfork.stats"(%arg0) {layerStats = dense<[-1.0, 1.0]> : tensor<2xf32>} : (tensor<1x2xf32>) -> tensor<1x2xf32>
    %r = "tfl.relu"(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
    %rs = "quantfork.stats"(%r) {layerStats = dense<[0.0, 1.0]> : tensor<2xf32>} : (tensor<1x2xf32>) -> tensor<1x2xf32>
    %t = "tfl.tanh"(%rs) : (tensor<1x2xf32>) -> tensor<1x2xf32> loc("mid/act")
    %ts = "quantfork.stats"(%t) {layerStats = dense<[-1.0, 1.0]> : tensor<2xf32>} : (tensor<1x2xf32>) -> tensor<1x2xf32>
    %o = "tfl.relu"(%ts) : (tensor<1x2xf32>) -> tensor<1x2xf32>
    %os = "quantfork.stats"(%o) {layerStats = dense<[0.0, 1.0]> : tensor<2xf32>} : (tensor<1x2xf32>) -> tensor<1x2xf32>
    return %os : tensor<1x2xf32>
  }

// A value without a range keeps its op float (a warning; an error with --strict).
// CHECK-LABEL: func.func @no_range(
// CHECK-NOT: "tfl.quantize"
// CHECK: "tfl.add"(%arg0, %arg0) {fused_activation_function = "NONE"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// DIAG: warning: 'tfl.add' op stays float: no range for operand #0 (a function argument)
  func.func @no_range(%arg0: tensor<4xf32>) -> tensor<4xf32> {
    %0 = "tfl.add"(%arg0, %arg0) {fused_activation_function = "NONE"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}
