// RUN: qopt %s --passes=quant-prepare | filecheck %s
// RUN: qopt %s --passes='quant-prepare{mode=16x8}' | filecheck %s --check-prefix=W16
// RUN: qopt %s --passes=quant-prepare,quant-quantize,canonicalize | filecheck %s --check-prefix=Q
// RUN: qopt %s --passes=quant-prepare 2>&1 >/dev/null | filecheck %s --check-prefix=DIAG
//
// A resource variable has one quantized type, derived from the range quant-calibrate records on
// its handles (qopt.variable_range, stripped here): every tfl.read_variable gives it, every
// tfl.assign_variable takes it — in every function, the initialiser's included. int8 [-1, 2] ->
// scale 3/255 = 1.17647061e-02, zero point -43; 16x8 -> max(|-1|, 2) / 32767 = 6.1037019e-05.
// The add's result ([-5, 6]) has other parameters: it is requantized before the assign. The
// initial value 0.5 is stored quantized: round(0.5 / (3/255)) - 43 = -1.

module {
// CHECK-LABEL: func.func @main(
// CHECK:      [[H:%.*]] = "tfl.var_handle"() {shared_name = "state"} : () -> tensor<!tf_type.resource>
// CHECK-NEXT: [[R:%.*]] = "tfl.read_variable"([[H]]) : (tensor<!tf_type.resource>) -> tensor<1x4xf32>
// CHECK-NEXT: [[RQ:%.*]] = "tfl.quantize"([[R]]) {qtype = tensor<1x4x!quant.uniform<i8:f32, 1.17647061124444e-02:-43>>}
// CHECK-NEXT: [[RD:%.*]] = "tfl.dequantize"([[RQ]])
// CHECK-NEXT: [[A:%.*]] = "tfl.add"([[RD]], {{%.*}})
// CHECK-NEXT: [[AQ:%.*]] = "tfl.quantize"([[A]]) {qtype = tensor<1x4x!quant.uniform<i8:f32, 4.313725605607033e-02:-12>>}
// CHECK-NEXT: [[AD:%.*]] = "tfl.dequantize"([[AQ]])
// CHECK-NEXT: [[VQ:%.*]] = "tfl.quantize"([[AD]]) {qtype = tensor<1x4x!quant.uniform<i8:f32, 1.17647061124444e-02:-43>>}
// CHECK-NEXT: [[VD:%.*]] = "tfl.dequantize"([[VQ]])
// CHECK-NEXT: "tfl.assign_variable"([[H]], [[VD]])
// CHECK-NOT:  qopt.variable_range
// W16-LABEL: func.func @main(
// W16:       "tfl.read_variable"
// W16-NEXT:  "tfl.quantize"({{.*}}) {qtype = tensor<1x4x!quant.uniform<i16:f32, 6.103701889514923e-05>>}
// W16:       "tfl.quantize"({{.*}}) {qtype = tensor<1x4x!quant.uniform<i16:f32, 6.103701889514923e-05>>}
// W16-NEXT:  "tfl.dequantize"
// W16-NEXT:  "tfl.assign_variable"
// Q-LABEL: func.func @main(
// Q:      [[H:%.*]] = "tfl.var_handle"()
// Q-NEXT: [[R:%.*]] = "tfl.read_variable"([[H]]) : (tensor<!tf_type.resource>) -> tensor<1x4x!quant.uniform<i8:f32, 1.17647061124444e-02:-43>>
// Q-NEXT: [[A:%.*]] = "tfl.add"([[R]], {{%.*}})
// Q:      [[V:%.*]] = "tfl.quantize"([[A]]) {qtype = tensor<1x4x!quant.uniform<i8:f32, 1.17647061124444e-02:-43>>}
// Q-NEXT: "tfl.assign_variable"([[H]], [[V]]) : (tensor<!tf_type.resource>, tensor<1x4x!quant.uniform<i8:f32, 1.17647061124444e-02:-43>>) -> ()
  func.func @main(%arg0: tensor<1x4xf32>) -> tensor<1x4xf32> {
    "tfl.call_once"() {init_subgraph_index = @init} : () -> ()
    %x = "quantfork.stats"(%arg0) {layerStats = dense<[-4.0, 4.0]> : tensor<2xf32>} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    %h = "tfl.var_handle"() {shared_name = "state", qopt.variable_range = dense<[-1.0, 2.0]> : tensor<2xf32>} : () -> tensor<!tf_type.resource>
    %s = "tfl.read_variable"(%h) : (tensor<!tf_type.resource>) -> tensor<1x4xf32>
    %a = "tfl.add"(%s, %x) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
    %y = "quantfork.stats"(%a) {layerStats = dense<[-5.0, 6.0]> : tensor<2xf32>} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    "tfl.assign_variable"(%h, %y) : (tensor<!tf_type.resource>, tensor<1x4xf32>) -> ()
    return %y : tensor<1x4xf32>
  }

// CHECK-LABEL: func.func private @init(
// CHECK:      [[C:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<1x4x!quant.uniform<i8:f32, 1.17647061124444e-02:-43>>, value = dense<-1> : tensor<1x4xi8>}
// CHECK-NEXT: [[CD:%.*]] = "tfl.dequantize"([[C]])
// CHECK-NEXT: "tfl.assign_variable"({{%.*}}, [[CD]])
// W16-LABEL: func.func private @init(
// W16:       "tfl.pseudo_qconst"() {qtype = tensor<1x4x!quant.uniform<i16:f32, 6.103701889514923e-05>>, value = dense<8192> : tensor<1x4xi16>}
// Q-LABEL: func.func private @init(
// Q:      [[C:%.*]] = "tfl.pseudo_qconst"() {{.*}}value = dense<-1> : tensor<1x4xi8>}
// Q-NEXT: "tfl.assign_variable"({{%.*}}, [[C]]) : (tensor<!tf_type.resource>, tensor<1x4x!quant.uniform<i8:f32, 1.17647061124444e-02:-43>>) -> ()
  func.func private @init() {
    %h = "tfl.var_handle"() {shared_name = "state", qopt.variable_range = dense<[-1.0, 2.0]> : tensor<2xf32>} : () -> tensor<!tf_type.resource>
    %c = "tfl.pseudo_const"() {value = dense<0.5> : tensor<1x4xf32>} : () -> tensor<1x4xf32>
    "tfl.assign_variable"(%h, %c) : (tensor<!tf_type.resource>, tensor<1x4xf32>) -> ()
    return
  }

// A variable without a recorded range stays float (reads and assigns): one warning per read, none
// for the assigns of the same variable.
// CHECK-LABEL: func.func @unranged(
// CHECK:      "tfl.read_variable"({{%.*}}) : (tensor<!tf_type.resource>) -> tensor<1x4xf32>
// CHECK-NOT:  "tfl.quantize"
// CHECK:      "tfl.assign_variable"({{%.*}}, {{%.*}}) : (tensor<!tf_type.resource>, tensor<1x4xf32>) -> ()
// DIAG: warning: 'tfl.read_variable' op stays float: the resource variable 'other' has no range (quant-calibrate records it on its tfl.var_handle ops)
// DIAG-NOT: 'tfl.assign_variable' op stays float
  func.func @unranged(%arg0: tensor<1x4xf32>) -> tensor<1x4xf32> {
    %h = "tfl.var_handle"() {shared_name = "other"} : () -> tensor<!tf_type.resource>
    %s = "tfl.read_variable"(%h) : (tensor<!tf_type.resource>) -> tensor<1x4xf32>
    "tfl.assign_variable"(%h, %arg0) : (tensor<!tf_type.resource>, tensor<1x4xf32>) -> ()
    return %s : tensor<1x4xf32>
  }
}
