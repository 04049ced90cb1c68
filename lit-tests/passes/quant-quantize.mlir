// RUN: qopt %s --passes=quant-quantize | filecheck %s
// RUN: qopt %s --passes=quant-quantize,canonicalize | filecheck %s --check-prefix=CANON
//
// quant-quantize rewrites every op between tfl.dequantize (each float operand) and tfl.quantize
// (each float result) — the form quant-prepare leaves — into the op on quantized values.

module {
// The fully_connected becomes quantized; the quantize after the float input and the dequantize
// before the float output stay (float I/O), the constants feed it directly.
// CHECK-LABEL: func.func @fc(
// CHECK-NEXT: [[Q:%.*]] = "tfl.quantize"(%arg0)
// CHECK-DAG: [[W:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<2x3x!quant.uniform<i8<-127:127>:f32, 1.000000e-02>>
// CHECK-DAG: [[B:%.*]] = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32, 1.000000e-04>>
// CHECK: [[FC:%.*]] = "tfl.fully_connected"([[Q]], [[W]], [[B]]) {{.*}} : (tensor<1x3x!quant.uniform<i8:f32, 1.000000e-02:-43>>, tensor<2x3x!quant.uniform<i8<-127:127>:f32, 1.000000e-02>>, tensor<2x!quant.uniform<i32:f32, 1.000000e-04>>) -> tensor<1x2x!quant.uniform<i8:f32, 3.000000e-02:-1>>
// CHECK-NEXT: [[O:%.*]] = "tfl.dequantize"([[FC]])
// CHECK-NEXT: return [[O]] :
  func.func @fc(%arg0: tensor<1x3xf32>) -> tensor<1x2xf32> {
    %0 = "tfl.quantize"(%arg0) {qtype = tensor<1x3x!quant.uniform<i8:f32, 1.000000e-02:-43>>} : (tensor<1x3xf32>) -> tensor<1x3x!quant.uniform<i8:f32, 1.000000e-02:-43>>
    %1 = "tfl.dequantize"(%0) : (tensor<1x3x!quant.uniform<i8:f32, 1.000000e-02:-43>>) -> tensor<1x3xf32>
    %2 = "tfl.pseudo_qconst"() {qtype = tensor<2x3x!quant.uniform<i8<-127:127>:f32, 1.000000e-02>>, value = dense<[[50, -100, 25], [127, 0, -64]]> : tensor<2x3xi8>} : () -> tensor<2x3x!quant.uniform<i8<-127:127>:f32, 1.000000e-02>>
    %3 = "tfl.dequantize"(%2) : (tensor<2x3x!quant.uniform<i8<-127:127>:f32, 1.000000e-02>>) -> tensor<2x3xf32>
    %4 = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i32:f32, 1.000000e-04>>, value = dense<[850, -1700]> : tensor<2xi32>} : () -> tensor<2x!quant.uniform<i32:f32, 1.000000e-04>>
    %5 = "tfl.dequantize"(%4) : (tensor<2x!quant.uniform<i32:f32, 1.000000e-04>>) -> tensor<2xf32>
    %6 = "tfl.fully_connected"(%1, %3, %5) {fused_activation_function = "NONE", keep_num_dims = false, quantized_bias_type = "INT32", weights_format = "DEFAULT"} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
    %7 = "tfl.quantize"(%6) {qtype = tensor<1x2x!quant.uniform<i8:f32, 3.000000e-02:-1>>} : (tensor<1x2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 3.000000e-02:-1>>
    %8 = "tfl.dequantize"(%7) : (tensor<1x2x!quant.uniform<i8:f32, 3.000000e-02:-1>>) -> tensor<1x2xf32>
    return %8 : tensor<1x2xf32>
  }

// An op marked qopt.keep_float stays float (the mark is dropped); its neighbours are quantized and
// the rescales around it remain: canonicalize then leaves one dequantize before and one quantize
// after it.
// CHECK-LABEL: func.func @keep_float(
// CHECK: [[R:%.*]] = "tfl.relu"({{%.*}}) : (tensor<4x!quant.uniform<i8:f32, 1.000000e-02:-128>>) -> tensor<4x!quant.uniform<i8:f32, 1.000000e-02:-128>>
// CHECK-NEXT: [[D:%.*]] = "tfl.dequantize"([[R]])
// CHECK-NEXT: [[T:%.*]] = "tfl.tanh"([[D]]) : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NOT: qopt.keep_float
// CHECK: "tfl.relu"({{%.*}}) : (tensor<4x!quant.uniform<i8:f32, 7.812500e-03>>) -> tensor<4x!quant.uniform<i8:f32, 7.812500e-03>>
  func.func @keep_float(%arg0: tensor<4xf32>) -> tensor<4xf32> {
    %0 = "tfl.quantize"(%arg0) {qtype = tensor<4x!quant.uniform<i8:f32, 1.000000e-02:-128>>} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 1.000000e-02:-128>>
    %1 = "tfl.dequantize"(%0) : (tensor<4x!quant.uniform<i8:f32, 1.000000e-02:-128>>) -> tensor<4xf32>
    %2 = "tfl.relu"(%1) : (tensor<4xf32>) -> tensor<4xf32>
    %3 = "tfl.quantize"(%2) {qtype = tensor<4x!quant.uniform<i8:f32, 1.000000e-02:-128>>} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 1.000000e-02:-128>>
    %4 = "tfl.dequantize"(%3) : (tensor<4x!quant.uniform<i8:f32, 1.000000e-02:-128>>) -> tensor<4xf32>
    %5 = "tfl.tanh"(%4) {qopt.keep_float} : (tensor<4xf32>) -> tensor<4xf32>
    %6 = "tfl.quantize"(%5) {qtype = tensor<4x!quant.uniform<i8:f32, 7.812500e-03>>} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 7.812500e-03>>
    %7 = "tfl.dequantize"(%6) : (tensor<4x!quant.uniform<i8:f32, 7.812500e-03>>) -> tensor<4xf32>
    %8 = "tfl.relu"(%7) : (tensor<4xf32>) -> tensor<4xf32>
    %9 = "tfl.quantize"(%8) {qtype = tensor<4x!quant.uniform<i8:f32, 7.812500e-03>>} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 7.812500e-03>>
    %10 = "tfl.dequantize"(%9) : (tensor<4x!quant.uniform<i8:f32, 7.812500e-03>>) -> tensor<4xf32>
    return %10 : tensor<4xf32>
  }

// A use with other parameters reads quantize(dequantize(x)): after quant-quantize it is a
// quantize of the quantized value, i.e. a requantize; canonicalize removes the leftover dequantize.
// 16x8 add/sub get pot_scale_int16 = false (TFLite's general int16 path, as its quantizer writes).
// CHECK-LABEL: func.func @requantized_use(
// CHECK: [[A:%.*]] = "tfl.add"({{%.*}}, {{%.*}}) {fused_activation_function = "NONE", pot_scale_int16 = false} : (tensor<1x4x!quant.uniform<i16:f32, 1.000000e-03>>, tensor<1x4x!quant.uniform<i16:f32, 1.000000e-03>>) -> tensor<1x4x!quant.uniform<i16:f32, 2.000000e-03>>
// CANON-LABEL: func.func @requantized_use(
// CANON: [[A:%.*]] = "tfl.add"
// CANON-NEXT: [[RQ:%.*]] = "tfl.quantize"([[A]]) {{.*}} -> tensor<1x4x!quant.uniform<i16:f32, 4.000000e-03>>
// CANON-NEXT: "tfl.quantize"(%arg1)
// CANON-NEXT: [[C:%.*]] = "tfl.concatenation"([[RQ]], {{%.*}}) {{.*}} -> tensor<1x8x!quant.uniform<i16:f32, 4.000000e-03>>
// CANON-NEXT: [[D:%.*]] = "tfl.dequantize"([[C]])
// CANON-NEXT: return [[D]] :
  func.func @requantized_use(%arg0: tensor<1x4xf32>, %arg1: tensor<1x4xf32>) -> tensor<1x8xf32> {
    %0 = "tfl.quantize"(%arg0) {qtype = tensor<1x4x!quant.uniform<i16:f32, 1.000000e-03>>} : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i16:f32, 1.000000e-03>>
    %1 = "tfl.dequantize"(%0) : (tensor<1x4x!quant.uniform<i16:f32, 1.000000e-03>>) -> tensor<1x4xf32>
    %2 = "tfl.add"(%1, %1) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
    %3 = "tfl.quantize"(%2) {qtype = tensor<1x4x!quant.uniform<i16:f32, 2.000000e-03>>} : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i16:f32, 2.000000e-03>>
    %4 = "tfl.dequantize"(%3) : (tensor<1x4x!quant.uniform<i16:f32, 2.000000e-03>>) -> tensor<1x4xf32>
    %5 = "tfl.quantize"(%4) {qtype = tensor<1x4x!quant.uniform<i16:f32, 4.000000e-03>>} : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i16:f32, 4.000000e-03>>
    %6 = "tfl.dequantize"(%5) : (tensor<1x4x!quant.uniform<i16:f32, 4.000000e-03>>) -> tensor<1x4xf32>
    %7 = "tfl.quantize"(%arg1) {qtype = tensor<1x4x!quant.uniform<i16:f32, 4.000000e-03>>} : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i16:f32, 4.000000e-03>>
    %8 = "tfl.dequantize"(%7) : (tensor<1x4x!quant.uniform<i16:f32, 4.000000e-03>>) -> tensor<1x4xf32>
    %9 = "tfl.concatenation"(%6, %8) {axis = 1 : i32, fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x8xf32>
    %10 = "tfl.quantize"(%9) {qtype = tensor<1x8x!quant.uniform<i16:f32, 4.000000e-03>>} : (tensor<1x8xf32>) -> tensor<1x8x!quant.uniform<i16:f32, 4.000000e-03>>
    %11 = "tfl.dequantize"(%10) : (tensor<1x8x!quant.uniform<i16:f32, 4.000000e-03>>) -> tensor<1x8xf32>
    return %11 : tensor<1x8xf32>
  }

// A quantized result that also feeds a float user gets a dequantize for it; results of ops with
// several results (unpack) are rewritten together.
// CHECK-LABEL: func.func @float_user(
// CHECK: [[U:%.*]]:2 = "tfl.unpack"({{%.*}}) {{.*}} -> (tensor<2x!quant.uniform<i8:f32, 1.000000e-02>>, tensor<2x!quant.uniform<i8:f32, 1.000000e-02>>)
// CHECK-NEXT: [[D:%.*]] = "tfl.dequantize"([[U]]#0)
// CHECK-NEXT: [[F:%.*]] = "tfl.exp"([[D]]) : (tensor<2xf32>) -> tensor<2xf32>
  func.func @float_user(%arg0: tensor<2x2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
    %0 = "tfl.quantize"(%arg0) {qtype = tensor<2x2x!quant.uniform<i8:f32, 1.000000e-02>>} : (tensor<2x2xf32>) -> tensor<2x2x!quant.uniform<i8:f32, 1.000000e-02>>
    %1 = "tfl.dequantize"(%0) : (tensor<2x2x!quant.uniform<i8:f32, 1.000000e-02>>) -> tensor<2x2xf32>
    %2:2 = "tfl.unpack"(%1) {axis = 0 : i32, num = 2 : i32} : (tensor<2x2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
    %3 = "tfl.quantize"(%2#0) {qtype = tensor<2x!quant.uniform<i8:f32, 1.000000e-02>>} : (tensor<2xf32>) -> tensor<2x!quant.uniform<i8:f32, 1.000000e-02>>
    %4 = "tfl.quantize"(%2#1) {qtype = tensor<2x!quant.uniform<i8:f32, 1.000000e-02>>} : (tensor<2xf32>) -> tensor<2x!quant.uniform<i8:f32, 1.000000e-02>>
    %5 = "tfl.exp"(%2#0) : (tensor<2xf32>) -> tensor<2xf32>
    %6 = "tfl.dequantize"(%4) : (tensor<2x!quant.uniform<i8:f32, 1.000000e-02>>) -> tensor<2xf32>
    return %5, %6 : tensor<2xf32>, tensor<2xf32>
  }

// Not in Q/DQ form (the second operand does not come from a dequantize): left float.
// CHECK-LABEL: func.func @not_sandwiched(
// CHECK: "tfl.mul"({{%.*}}, %arg1) {fused_activation_function = "NONE"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.func @not_sandwiched(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 1.000000e-02>> {
    %0 = "tfl.quantize"(%arg0) {qtype = tensor<4x!quant.uniform<i8:f32, 1.000000e-02>>} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 1.000000e-02>>
    %1 = "tfl.dequantize"(%0) : (tensor<4x!quant.uniform<i8:f32, 1.000000e-02>>) -> tensor<4xf32>
    %2 = "tfl.mul"(%1, %arg1) {fused_activation_function = "NONE"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    %3 = "tfl.quantize"(%2) {qtype = tensor<4x!quant.uniform<i8:f32, 1.000000e-02>>} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 1.000000e-02>>
    return %3 : tensor<4x!quant.uniform<i8:f32, 1.000000e-02>>
  }
}
