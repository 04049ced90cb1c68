// MLIR -> .tflite -> MLIR keeps ops, quantized types, per-axis scales, names and the signature.
// RUN: qopt %s -o %t.tflite
// RUN: qopt %t.tflite --mlir-print-debuginfo | filecheck %s

// CHECK-LABEL: func.func @main
// CHECK-SAME: loc("input")
// CHECK: "tfl.pseudo_qconst"() {qtype = tensor<2x3x!quant.uniform<i8:f32:0, {1.250000e-01,2.500000e-01}>>
// CHECK: "tfl.fully_connected"(%arg0, {{%.*}}, {{%.*}}) {{{.*}}fused_activation_function = "RELU"
// CHECK-SAME: -> tensor<1x2x!quant.uniform<i8:f32, 6.250000e-02:-128>> loc("fc")
module {
  func.func @main(%arg0: tensor<1x3x!quant.uniform<i8:f32, 3.125000e-02:-3>> loc("input")) -> tensor<1x2x!quant.uniform<i8:f32, 6.250000e-02:-128>> {
    %w = "tfl.pseudo_qconst"() {qtype = tensor<2x3x!quant.uniform<i8:f32:0, {1.250000e-01,2.500000e-01}>>, value = dense<[[1, 2, 3], [-4, -5, 127]]> : tensor<2x3xi8>} : () -> tensor<2x3x!quant.uniform<i8:f32:0, {1.250000e-01,2.500000e-01}>> loc("w")
    %b = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32:0, {3.906250e-03,7.812500e-03}>>, value = dense<[10, -20]> : tensor<2xi32>} : () -> tensor<2x!quant.uniform<i32:f32:0, {3.906250e-03,7.812500e-03}>> loc("b")
    %0 = "tfl.fully_connected"(%arg0, %w, %b) {fused_activation_function = "RELU", keep_num_dims = false, weights_format = "DEFAULT", asymmetric_quantize_inputs = false} : (tensor<1x3x!quant.uniform<i8:f32, 3.125000e-02:-3>>, tensor<2x3x!quant.uniform<i8:f32:0, {1.250000e-01,2.500000e-01}>>, tensor<2x!quant.uniform<i32:f32:0, {3.906250e-03,7.812500e-03}>>) -> tensor<1x2x!quant.uniform<i8:f32, 6.250000e-02:-128>> loc("fc")
    return %0 : tensor<1x2x!quant.uniform<i8:f32, 6.250000e-02:-128>>
  }
}
