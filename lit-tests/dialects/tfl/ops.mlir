// RUN: qopt %s | qopt | filecheck %s
// Round trip of every tfl op in generic form (parse, print, parse, print).

module {
// CHECK-LABEL: func.func @add(
// CHECK: [[V0:%.*]] = "tfl.add"(%arg0, %arg1) {{.*}}fused_activation_function = "NONE"{{.*}} : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
// CHECK: return [[V0]] :
  func.func @add(%arg0: tensor<1x4xf32>, %arg1: tensor<4xf32>) -> tensor<1x4xf32> {
    %0 = "tfl.add"(%arg0, %arg1) {fused_activation_function = "NONE", pot_scale_int16 = false} : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
    return %0 : tensor<1x4xf32>
  }

// CHECK-LABEL: func.func @sub(
// CHECK: [[V0:%.*]] = "tfl.sub"(%arg0, %arg1) {{.*}}fused_activation_function = "NONE"{{.*}} : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
// CHECK: return [[V0]] :
  func.func @sub(%arg0: tensor<1x4xf32>, %arg1: tensor<4xf32>) -> tensor<1x4xf32> {
    %0 = "tfl.sub"(%arg0, %arg1) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
    return %0 : tensor<1x4xf32>
  }

// CHECK-LABEL: func.func @mul(
// CHECK: [[V0:%.*]] = "tfl.mul"(%arg0, %arg1) {{.*}}fused_activation_function = "NONE"{{.*}} : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
// CHECK: return [[V0]] :
  func.func @mul(%arg0: tensor<1x4xf32>, %arg1: tensor<4xf32>) -> tensor<1x4xf32> {
    %0 = "tfl.mul"(%arg0, %arg1) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
    return %0 : tensor<1x4xf32>
  }

// CHECK-LABEL: func.func @div(
// CHECK: [[V0:%.*]] = "tfl.div"(%arg0, %arg1) {{.*}}fused_activation_function = "NONE"{{.*}} : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
// CHECK: return [[V0]] :
  func.func @div(%arg0: tensor<1x4xf32>, %arg1: tensor<4xf32>) -> tensor<1x4xf32> {
    %0 = "tfl.div"(%arg0, %arg1) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
    return %0 : tensor<1x4xf32>
  }

// CHECK-LABEL: func.func @maximum(
// CHECK: [[V0:%.*]] = "tfl.maximum"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: return [[V0]] :
  func.func @maximum(%arg0: tensor<2x3xf32>, %arg1: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %0 = "tfl.maximum"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    return %0 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @minimum(
// CHECK: [[V0:%.*]] = "tfl.minimum"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: return [[V0]] :
  func.func @minimum(%arg0: tensor<2x3xf32>, %arg1: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %0 = "tfl.minimum"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    return %0 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @squared_difference(
// CHECK: [[V0:%.*]] = "tfl.squared_difference"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: return [[V0]] :
  func.func @squared_difference(%arg0: tensor<2x3xf32>, %arg1: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %0 = "tfl.squared_difference"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    return %0 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @pow(
// CHECK: [[V0:%.*]] = "tfl.pow"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: return [[V0]] :
  func.func @pow(%arg0: tensor<2x3xf32>, %arg1: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %0 = "tfl.pow"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    return %0 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @floor_div(
// CHECK: [[V0:%.*]] = "tfl.floor_div"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: return [[V0]] :
  func.func @floor_div(%arg0: tensor<2x3xf32>, %arg1: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %0 = "tfl.floor_div"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    return %0 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @floor_mod(
// CHECK: [[V0:%.*]] = "tfl.floor_mod"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: return [[V0]] :
  func.func @floor_mod(%arg0: tensor<2x3xf32>, %arg1: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %0 = "tfl.floor_mod"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    return %0 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @comparisons(
// CHECK: [[V0:%.*]] = "tfl.equal"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK: [[V1:%.*]] = "tfl.not_equal"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK: [[V2:%.*]] = "tfl.less"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK: [[V3:%.*]] = "tfl.less_equal"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK: [[V4:%.*]] = "tfl.greater"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK: [[V5:%.*]] = "tfl.greater_equal"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK: [[V6:%.*]] = "tfl.logical_and"([[V0]], [[V1]]) : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
// CHECK: [[V7:%.*]] = "tfl.logical_or"([[V6]], [[V2]]) : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
// CHECK: [[V8:%.*]] = "tfl.logical_not"([[V7]]) : (tensor<2x3xi1>) -> tensor<2x3xi1>
// CHECK: [[V9:%.*]] = "tfl.select"([[V8]], %arg0, %arg0) : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: [[V10:%.*]] = "tfl.select_v2"([[V8]], [[V9]], %arg1) : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: return [[V10]] :
  func.func @comparisons(%arg0: tensor<2x3xf32>, %arg1: tensor<3xf32>) -> tensor<2x3xf32> {
    %0 = "tfl.equal"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
    %1 = "tfl.not_equal"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
    %2 = "tfl.less"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
    %3 = "tfl.less_equal"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
    %4 = "tfl.greater"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
    %5 = "tfl.greater_equal"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
    %6 = "tfl.logical_and"(%0, %1) : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
    %7 = "tfl.logical_or"(%6, %2) : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
    %8 = "tfl.logical_not"(%7) : (tensor<2x3xi1>) -> tensor<2x3xi1>
    %9 = "tfl.select"(%8, %arg0, %arg0) : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    %10 = "tfl.select_v2"(%8, %9, %arg1) : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    return %10 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @add_n(
// CHECK: [[V0:%.*]] = "tfl.add_n"(%arg0, %arg1, %arg2) : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK: return [[V0]] :
  func.func @add_n(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>, %arg2: tensor<4xf32>) -> tensor<4xf32> {
    %0 = "tfl.add_n"(%arg0, %arg1, %arg2) : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    return %0 : tensor<4xf32>
  }

// CHECK-LABEL: func.func @unary_math(
// CHECK: [[V0:%.*]] = "tfl.abs"(%arg0) : (tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK: [[V1:%.*]] = "tfl.neg"([[V0]]) : (tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK: [[V2:%.*]] = "tfl.exp"([[V1]]) : (tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK: [[V3:%.*]] = "tfl.log"([[V2]]) : (tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK: [[V4:%.*]] = "tfl.rsqrt"([[V3]]) : (tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK: [[V5:%.*]] = "tfl.sqrt"([[V4]]) : (tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK: [[V6:%.*]] = "tfl.square"([[V5]]) : (tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK: [[V7:%.*]] = "tfl.floor"([[V6]]) : (tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK: [[V8:%.*]] = "tfl.ceil"([[V7]]) : (tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK: [[V9:%.*]] = "tfl.round"([[V8]]) : (tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK: [[V10:%.*]] = "tfl.sin"([[V9]]) : (tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK: [[V11:%.*]] = "tfl.cos"([[V10]]) : (tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK: [[V12:%.*]] = "tfl.sign"([[V11]]) : (tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK: [[V13:%.*]] = "tfl.zeros_like"([[V12]]) : (tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK: return [[V13]] :
  func.func @unary_math(%arg0: tensor<2x2xf32>) -> tensor<2x2xf32> {
    %0 = "tfl.abs"(%arg0) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %1 = "tfl.neg"(%0) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %2 = "tfl.exp"(%1) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %3 = "tfl.log"(%2) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %4 = "tfl.rsqrt"(%3) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %5 = "tfl.sqrt"(%4) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %6 = "tfl.square"(%5) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %7 = "tfl.floor"(%6) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %8 = "tfl.ceil"(%7) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %9 = "tfl.round"(%8) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %10 = "tfl.sin"(%9) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %11 = "tfl.cos"(%10) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %12 = "tfl.sign"(%11) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %13 = "tfl.zeros_like"(%12) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    return %13 : tensor<2x2xf32>
  }

// CHECK-LABEL: func.func @cast(
// CHECK: [[V0:%.*]] = "tfl.cast"(%arg0) : (tensor<4xi32>) -> tensor<4xf32>
// CHECK: return [[V0]] :
  func.func @cast(%arg0: tensor<4xi32>) -> tensor<4xf32> {
    %0 = "tfl.cast"(%arg0) : (tensor<4xi32>) -> tensor<4xf32>
    return %0 : tensor<4xf32>
  }

// CHECK-LABEL: func.func @quantized_add(
// CHECK: [[V0:%.*]] = "tfl.add"(%arg0, %arg1) {{.*}}fused_activation_function = "NONE"{{.*}} : (tensor<1x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<1x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<1x4x!quant.uniform<i8:f32, 1.000000e+00:5>>
// CHECK: return [[V0]] :
  func.func @quantized_add(%arg0: tensor<1x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, %arg1: tensor<1x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<1x4x!quant.uniform<i8:f32, 1.000000e+00:5>> {
    %0 = "tfl.add"(%arg0, %arg1) {fused_activation_function = "NONE"} : (tensor<1x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<1x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<1x4x!quant.uniform<i8:f32, 1.000000e+00:5>>
    return %0 : tensor<1x4x!quant.uniform<i8:f32, 1.000000e+00:5>>
  }

// CHECK-LABEL: func.func @activations(
// CHECK: [[V0:%.*]] = "tfl.logistic"(%arg0) : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: [[V1:%.*]] = "tfl.tanh"([[V0]]) : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: [[V2:%.*]] = "tfl.relu"([[V1]]) : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: [[V3:%.*]] = "tfl.relu6"([[V2]]) : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: [[V4:%.*]] = "tfl.relu_n1_to_1"([[V3]]) : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: [[V5:%.*]] = "tfl.relu_0_to_1"([[V4]]) : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: [[V6:%.*]] = "tfl.hard_swish"([[V5]]) : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: [[V7:%.*]] = "tfl.elu"([[V6]]) : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: [[V8:%.*]] = "tfl.log_softmax"([[V7]]) : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: [[V9:%.*]] = "tfl.leaky_relu"([[V8]]) {{.*}}alpha = 2.000000e-01 : f32{{.*}} : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: [[V10:%.*]] = "tfl.gelu"([[V9]]) {{.*}}approximate = true{{.*}} : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: [[V11:%.*]] = "tfl.softmax"([[V10]]) {{.*}}beta = 1.000000e+00 : f32{{.*}} : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: [[V12:%.*]] = "tfl.l2_normalization"([[V11]]) {{.*}}fused_activation_function = "NONE"{{.*}} : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: return [[V12]] :
  func.func @activations(%arg0: tensor<1x8xf32>) -> tensor<1x8xf32> {
    %0 = "tfl.logistic"(%arg0) : (tensor<1x8xf32>) -> tensor<1x8xf32>
    %1 = "tfl.tanh"(%0) : (tensor<1x8xf32>) -> tensor<1x8xf32>
    %2 = "tfl.relu"(%1) : (tensor<1x8xf32>) -> tensor<1x8xf32>
    %3 = "tfl.relu6"(%2) : (tensor<1x8xf32>) -> tensor<1x8xf32>
    %4 = "tfl.relu_n1_to_1"(%3) : (tensor<1x8xf32>) -> tensor<1x8xf32>
    %5 = "tfl.relu_0_to_1"(%4) : (tensor<1x8xf32>) -> tensor<1x8xf32>
    %6 = "tfl.hard_swish"(%5) : (tensor<1x8xf32>) -> tensor<1x8xf32>
    %7 = "tfl.elu"(%6) : (tensor<1x8xf32>) -> tensor<1x8xf32>
    %8 = "tfl.log_softmax"(%7) : (tensor<1x8xf32>) -> tensor<1x8xf32>
    %9 = "tfl.leaky_relu"(%8) {alpha = 2.000000e-01 : f32} : (tensor<1x8xf32>) -> tensor<1x8xf32>
    %10 = "tfl.gelu"(%9) {approximate = true} : (tensor<1x8xf32>) -> tensor<1x8xf32>
    %11 = "tfl.softmax"(%10) {beta = 1.000000e+00 : f32} : (tensor<1x8xf32>) -> tensor<1x8xf32>
    %12 = "tfl.l2_normalization"(%11) {fused_activation_function = "NONE"} : (tensor<1x8xf32>) -> tensor<1x8xf32>
    return %12 : tensor<1x8xf32>
  }

// CHECK-LABEL: func.func @prelu(
// CHECK: [[V0:%.*]] = "tfl.prelu"(%arg0, %arg1) : (tensor<1x4x4x3xf32>, tensor<1x1x3xf32>) -> tensor<1x4x4x3xf32>
// CHECK: return [[V0]] :
  func.func @prelu(%arg0: tensor<1x4x4x3xf32>, %arg1: tensor<1x1x3xf32>) -> tensor<1x4x4x3xf32> {
    %0 = "tfl.prelu"(%arg0, %arg1) : (tensor<1x4x4x3xf32>, tensor<1x1x3xf32>) -> tensor<1x4x4x3xf32>
    return %0 : tensor<1x4x4x3xf32>
  }

// CHECK-LABEL: func.func @quantized_logistic(
// CHECK: [[V0:%.*]] = "tfl.logistic"(%arg0) : (tensor<1x8x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<1x8x!quant.uniform<i8:f32, 3.906250e-03:-128>>
// CHECK: return [[V0]] :
  func.func @quantized_logistic(%arg0: tensor<1x8x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<1x8x!quant.uniform<i8:f32, 3.906250e-03:-128>> {
    %0 = "tfl.logistic"(%arg0) : (tensor<1x8x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<1x8x!quant.uniform<i8:f32, 3.906250e-03:-128>>
    return %0 : tensor<1x8x!quant.uniform<i8:f32, 3.906250e-03:-128>>
  }

// CHECK-LABEL: func.func @int16_softmax(
// CHECK: [[V0:%.*]] = "tfl.softmax"(%arg0) {{.*}}beta = 1.000000e+00 : f32{{.*}} : (tensor<1x8x!quant.uniform<i16:f32, 1.000000e-03>>) -> tensor<1x8x!quant.uniform<i16:f32, 3.0517578125e-05>>
// CHECK: return [[V0]] :
  func.func @int16_softmax(%arg0: tensor<1x8x!quant.uniform<i16:f32, 1.000000e-03>>) -> tensor<1x8x!quant.uniform<i16:f32, 3.0517578125e-05>> {
    %0 = "tfl.softmax"(%arg0) {beta = 1.000000e+00 : f32} : (tensor<1x8x!quant.uniform<i16:f32, 1.000000e-03>>) -> tensor<1x8x!quant.uniform<i16:f32, 3.0517578125e-05>>
    return %0 : tensor<1x8x!quant.uniform<i16:f32, 3.0517578125e-05>>
  }

// CHECK-LABEL: func.func @fully_connected(
// CHECK: [[V0:%.*]] = "tfl.fully_connected"(%arg0, %arg1, %arg2) {{.*}}keep_num_dims = false{{.*}} : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: return [[V0]] :
  func.func @fully_connected(%arg0: tensor<2x4xf32>, %arg1: tensor<3x4xf32>, %arg2: tensor<3xf32>) -> tensor<2x3xf32> {
    %0 = "tfl.fully_connected"(%arg0, %arg1, %arg2) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    return %0 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @fully_connected_no_bias(
// CHECK: [[V0:%.*]] = "tfl.no_value"() {{.*}}value{{.*}} : () -> none
// CHECK: [[V1:%.*]] = "tfl.fully_connected"(%arg0, %arg1, [[V0]]) {{.*}}weights_format = "DEFAULT"{{.*}} : (tensor<2x4xf32>, tensor<3x4xf32>, none) -> tensor<2x3xf32>
// CHECK: return [[V1]] :
  func.func @fully_connected_no_bias(%arg0: tensor<2x4xf32>, %arg1: tensor<3x4xf32>) -> tensor<2x3xf32> {
    %0 = "tfl.no_value"() {value} : () -> none
    %1 = "tfl.fully_connected"(%arg0, %arg1, %0) {asymmetric_quantize_inputs = false, fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<2x4xf32>, tensor<3x4xf32>, none) -> tensor<2x3xf32>
    return %1 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @conv_2d(
// CHECK: [[V0:%.*]] = "tfl.conv_2d"(%arg0, %arg1, %arg2) {{.*}}padding = "SAME"{{.*}} : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
// CHECK: return [[V0]] :
  func.func @conv_2d(%arg0: tensor<1x8x8x3xf32>, %arg1: tensor<16x3x3x3xf32>, %arg2: tensor<16xf32>) -> tensor<1x8x8x16xf32> {
    %0 = "tfl.conv_2d"(%arg0, %arg1, %arg2) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
    return %0 : tensor<1x8x8x16xf32>
  }

// CHECK-LABEL: func.func @conv_2d_per_channel(
// CHECK: [[V0:%.*]] = "tfl.conv_2d"(%arg0, %arg1, %arg2) {{.*}}stride_h = 1 : i32{{.*}} : (tensor<1x8x8x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<2x3x3x3x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-01,2.000000e-01}>>, tensor<2x!quant.uniform<i32:f32:0, {5.000000e-02,1.000000e-01}>>) -> tensor<1x8x8x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK: return [[V0]] :
  func.func @conv_2d_per_channel(%arg0: tensor<1x8x8x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>, %arg1: tensor<2x3x3x3x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-01,2.000000e-01}>>, %arg2: tensor<2x!quant.uniform<i32:f32:0, {5.000000e-02,1.000000e-01}>>) -> tensor<1x8x8x2x!quant.uniform<i8:f32, 5.000000e-01:-3>> {
    %0 = "tfl.conv_2d"(%arg0, %arg1, %arg2) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x8x8x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<2x3x3x3x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-01,2.000000e-01}>>, tensor<2x!quant.uniform<i32:f32:0, {5.000000e-02,1.000000e-01}>>) -> tensor<1x8x8x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>
    return %0 : tensor<1x8x8x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>
  }

// CHECK-LABEL: func.func @depthwise_conv_2d(
// CHECK: [[V0:%.*]] = "tfl.depthwise_conv_2d"(%arg0, %arg1, %arg2) {{.*}}depth_multiplier = 2 : i32{{.*}} : (tensor<1x8x8x4xf32>, tensor<1x3x3x8xf32>, tensor<8xf32>) -> tensor<1x6x6x8xf32>
// CHECK: return [[V0]] :
  func.func @depthwise_conv_2d(%arg0: tensor<1x8x8x4xf32>, %arg1: tensor<1x3x3x8xf32>, %arg2: tensor<8xf32>) -> tensor<1x6x6x8xf32> {
    %0 = "tfl.depthwise_conv_2d"(%arg0, %arg1, %arg2) {depth_multiplier = 2 : i32, dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x8x8x4xf32>, tensor<1x3x3x8xf32>, tensor<8xf32>) -> tensor<1x6x6x8xf32>
    return %0 : tensor<1x6x6x8xf32>
  }

// CHECK-LABEL: func.func @transpose_conv(
// CHECK: [[V0:%.*]] = "tfl.no_value"() {{.*}}value{{.*}} : () -> none
// CHECK: [[V1:%.*]] = "tfl.transpose_conv"(%arg0, %arg1, %arg2, [[V0]]) {{.*}}padding = "SAME"{{.*}} : (tensor<4xi32>, tensor<6x3x3x4xf32>, tensor<1x4x4x4xf32>, none) -> tensor<1x8x8x6xf32>
// CHECK: return [[V1]] :
  func.func @transpose_conv(%arg0: tensor<4xi32>, %arg1: tensor<6x3x3x4xf32>, %arg2: tensor<1x4x4x4xf32>) -> tensor<1x8x8x6xf32> {
    %0 = "tfl.no_value"() {value} : () -> none
    %1 = "tfl.transpose_conv"(%arg0, %arg1, %arg2, %0) {fused_activation_function = "NONE", padding = "SAME", stride_h = 2 : i32, stride_w = 2 : i32} : (tensor<4xi32>, tensor<6x3x3x4xf32>, tensor<1x4x4x4xf32>, none) -> tensor<1x8x8x6xf32>
    return %1 : tensor<1x8x8x6xf32>
  }

// CHECK-LABEL: func.func @average_pool_2d(
// CHECK: [[V0:%.*]] = "tfl.average_pool_2d"(%arg0) {{.*}}filter_height = 2 : i32{{.*}} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
// CHECK: return [[V0]] :
  func.func @average_pool_2d(%arg0: tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> {
    %0 = "tfl.average_pool_2d"(%arg0) {filter_height = 2 : i32, filter_width = 2 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 2 : i32, stride_w = 2 : i32} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
    return %0 : tensor<1x2x2x2xf32>
  }

// CHECK-LABEL: func.func @max_pool_2d(
// CHECK: [[V0:%.*]] = "tfl.max_pool_2d"(%arg0) {{.*}}filter_height = 2 : i32{{.*}} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
// CHECK: return [[V0]] :
  func.func @max_pool_2d(%arg0: tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> {
    %0 = "tfl.max_pool_2d"(%arg0) {filter_height = 2 : i32, filter_width = 2 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 2 : i32, stride_w = 2 : i32} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
    return %0 : tensor<1x2x2x2xf32>
  }

// CHECK-LABEL: func.func @batch_matmul(
// CHECK: [[V0:%.*]] = "tfl.batch_matmul"(%arg0, %arg1) {{.*}}adj_y = true{{.*}} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
// CHECK: return [[V0]] :
  func.func @batch_matmul(%arg0: tensor<2x3x4xf32>, %arg1: tensor<2x5x4xf32>) -> tensor<2x3x5xf32> {
    %0 = "tfl.batch_matmul"(%arg0, %arg1) {adj_x = false, adj_y = true} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
    return %0 : tensor<2x3x5xf32>
  }

// CHECK-LABEL: func.func @reshape(
// CHECK: [[V0:%.*]] = "tfl.pseudo_const"() {{.*}}value = dense<[3{{.*}} : () -> tensor<2xi32>
// CHECK: [[V1:%.*]] = "tfl.reshape"(%arg0, [[V0]]) : (tensor<2x6xf32>, tensor<2xi32>) -> tensor<3x4xf32>
// CHECK: return [[V1]] :
  func.func @reshape(%arg0: tensor<2x6xf32>) -> tensor<3x4xf32> {
    %0 = "tfl.pseudo_const"() {value = dense<[3, 4]> : tensor<2xi32>} : () -> tensor<2xi32>
    %1 = "tfl.reshape"(%arg0, %0) : (tensor<2x6xf32>, tensor<2xi32>) -> tensor<3x4xf32>
    return %1 : tensor<3x4xf32>
  }

// CHECK-LABEL: func.func @squeeze_expand_dims(
// CHECK: [[V0:%.*]] = "tfl.squeeze"(%arg0) {{.*}}squeeze_dims = [2{{.*}} : (tensor<1x3x1xf32>) -> tensor<1x3xf32>
// CHECK: [[V1:%.*]] = "tfl.pseudo_const"() {{.*}}value = dense<0> : tensor<i32>{{.*}} : () -> tensor<i32>
// CHECK: [[V2:%.*]] = "tfl.expand_dims"([[V0]], [[V1]]) : (tensor<1x3xf32>, tensor<i32>) -> tensor<1x1x3xf32>
// CHECK: return [[V2]] :
  func.func @squeeze_expand_dims(%arg0: tensor<1x3x1xf32>) -> tensor<1x1x3xf32> {
    %0 = "tfl.squeeze"(%arg0) {squeeze_dims = [2]} : (tensor<1x3x1xf32>) -> tensor<1x3xf32>
    %1 = "tfl.pseudo_const"() {value = dense<0> : tensor<i32>} : () -> tensor<i32>
    %2 = "tfl.expand_dims"(%0, %1) : (tensor<1x3xf32>, tensor<i32>) -> tensor<1x1x3xf32>
    return %2 : tensor<1x1x3xf32>
  }

// CHECK-LABEL: func.func @transpose(
// CHECK: [[V0:%.*]] = "tfl.pseudo_const"() {{.*}}value = dense<[2{{.*}} : () -> tensor<3xi32>
// CHECK: [[V1:%.*]] = "tfl.transpose"(%arg0, [[V0]]) : (tensor<2x3x4xf32>, tensor<3xi32>) -> tensor<4x2x3xf32>
// CHECK: return [[V1]] :
  func.func @transpose(%arg0: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
    %0 = "tfl.pseudo_const"() {value = dense<[2, 0, 1]> : tensor<3xi32>} : () -> tensor<3xi32>
    %1 = "tfl.transpose"(%arg0, %0) : (tensor<2x3x4xf32>, tensor<3xi32>) -> tensor<4x2x3xf32>
    return %1 : tensor<4x2x3xf32>
  }

// CHECK-LABEL: func.func @concatenation(
// CHECK: [[V0:%.*]] = "tfl.concatenation"(%arg0, %arg1) {{.*}}axis = 1 : i32{{.*}} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
// CHECK: return [[V0]] :
  func.func @concatenation(%arg0: tensor<2x3xf32>, %arg1: tensor<2x5xf32>) -> tensor<2x8xf32> {
    %0 = "tfl.concatenation"(%arg0, %arg1) {axis = 1 : i32, fused_activation_function = "NONE"} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
    return %0 : tensor<2x8xf32>
  }

// CHECK-LABEL: func.func @split(
// CHECK: [[V0:%.*]] = "tfl.pseudo_const"() {{.*}}value = dense<1> : tensor<i32>{{.*}} : () -> tensor<i32>
// CHECK: [[V1:%.*]]:2 = "tfl.split"([[V0]], %arg0) {{.*}}num_splits = 2 : i32{{.*}} : (tensor<i32>, tensor<4x6xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>)
// CHECK: return [[V1]]#0, [[V1]]#1 :
  func.func @split(%arg0: tensor<4x6xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
    %0 = "tfl.pseudo_const"() {value = dense<1> : tensor<i32>} : () -> tensor<i32>
    %1:2 = "tfl.split"(%0, %arg0) {num_splits = 2 : i32} : (tensor<i32>, tensor<4x6xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>)
    return %1#0, %1#1 : tensor<4x3xf32>, tensor<4x3xf32>
  }

// CHECK-LABEL: func.func @split_v(
// CHECK: [[V0:%.*]]:2 = "tfl.split_v"(%arg0, %arg1, %arg2) {{.*}}num_splits = 2 : i32{{.*}} : (tensor<4x6xf32>, tensor<2xi32>, tensor<i32>) -> (tensor<4x2xf32>, tensor<4x4xf32>)
// CHECK: return [[V0]]#1 :
  func.func @split_v(%arg0: tensor<4x6xf32>, %arg1: tensor<2xi32>, %arg2: tensor<i32>) -> tensor<4x4xf32> {
    %0:2 = "tfl.split_v"(%arg0, %arg1, %arg2) {num_splits = 2 : i32} : (tensor<4x6xf32>, tensor<2xi32>, tensor<i32>) -> (tensor<4x2xf32>, tensor<4x4xf32>)
    return %0#1 : tensor<4x4xf32>
  }

// CHECK-LABEL: func.func @slice(
// CHECK: [[V0:%.*]] = "tfl.slice"(%arg0, %arg1, %arg2) : (tensor<4x6xf32>, tensor<2xi32>, tensor<2xi32>) -> tensor<2x3xf32>
// CHECK: return [[V0]] :
  func.func @slice(%arg0: tensor<4x6xf32>, %arg1: tensor<2xi32>, %arg2: tensor<2xi32>) -> tensor<2x3xf32> {
    %0 = "tfl.slice"(%arg0, %arg1, %arg2) : (tensor<4x6xf32>, tensor<2xi32>, tensor<2xi32>) -> tensor<2x3xf32>
    return %0 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @strided_slice(
// CHECK: [[V0:%.*]] = "tfl.strided_slice"(%arg0, %arg1, %arg1, %arg1) {{.*}}begin_mask = 0 : i32{{.*}} : (tensor<4x6xf32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<2x3xf32>
// CHECK: return [[V0]] :
  func.func @strided_slice(%arg0: tensor<4x6xf32>, %arg1: tensor<2xi32>) -> tensor<2x3xf32> {
    %0 = "tfl.strided_slice"(%arg0, %arg1, %arg1, %arg1) {begin_mask = 0 : i32, ellipsis_mask = 0 : i32, end_mask = 0 : i32, new_axis_mask = 0 : i32, offset = false, shrink_axis_mask = 0 : i32} : (tensor<4x6xf32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<2x3xf32>
    return %0 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @pack_unpack(
// CHECK: [[V0:%.*]] = "tfl.pack"(%arg0, %arg1) {{.*}}values_count = 2 : i32{{.*}} : (tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: [[V1:%.*]]:2 = "tfl.unpack"([[V0]]) {{.*}}num = 2 : i32{{.*}} : (tensor<2x3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
// CHECK: return [[V1]]#0 :
  func.func @pack_unpack(%arg0: tensor<3xf32>, %arg1: tensor<3xf32>) -> tensor<3xf32> {
    %0 = "tfl.pack"(%arg0, %arg1) {axis = 0 : i32, values_count = 2 : i32} : (tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    %1:2 = "tfl.unpack"(%0) {axis = 0 : i32, num = 2 : i32} : (tensor<2x3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
    return %1#0 : tensor<3xf32>
  }

// CHECK-LABEL: func.func @pads(
// CHECK: [[V0:%.*]] = "tfl.pad"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x2xi32>) -> tensor<4x5xf32>
// CHECK: [[V1:%.*]] = "tfl.padv2"([[V0]], %arg1, %arg2) : (tensor<4x5xf32>, tensor<2x2xi32>, tensor<f32>) -> tensor<6x7xf32>
// CHECK: [[V2:%.*]] = "tfl.mirror_pad"([[V1]], %arg1) {{.*}}mode = "REFLECT"{{.*}} : (tensor<6x7xf32>, tensor<2x2xi32>) -> tensor<8x9xf32>
// CHECK: return [[V2]] :
  func.func @pads(%arg0: tensor<2x3xf32>, %arg1: tensor<2x2xi32>, %arg2: tensor<f32>) -> tensor<8x9xf32> {
    %0 = "tfl.pad"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x2xi32>) -> tensor<4x5xf32>
    %1 = "tfl.padv2"(%0, %arg1, %arg2) : (tensor<4x5xf32>, tensor<2x2xi32>, tensor<f32>) -> tensor<6x7xf32>
    %2 = "tfl.mirror_pad"(%1, %arg1) {mode = "REFLECT"} : (tensor<6x7xf32>, tensor<2x2xi32>) -> tensor<8x9xf32>
    return %2 : tensor<8x9xf32>
  }

// CHECK-LABEL: func.func @gathers(
// CHECK: [[V0:%.*]] = "tfl.gather"(%arg0, %arg1) {{.*}}axis = 0 : i32{{.*}} : (tensor<4x6xf32>, tensor<5xi32>) -> tensor<5x6xf32>
// CHECK: [[V1:%.*]] = "tfl.gather_nd"(%arg0, %arg2) : (tensor<4x6xf32>, tensor<5x2xi32>) -> tensor<5xf32>
// CHECK: return [[V0]], [[V1]] :
  func.func @gathers(%arg0: tensor<4x6xf32>, %arg1: tensor<5xi32>, %arg2: tensor<5x2xi32>) -> (tensor<5x6xf32>, tensor<5xf32>) {
    %0 = "tfl.gather"(%arg0, %arg1) {axis = 0 : i32, batch_dims = 0 : i32} : (tensor<4x6xf32>, tensor<5xi32>) -> tensor<5x6xf32>
    %1 = "tfl.gather_nd"(%arg0, %arg2) : (tensor<4x6xf32>, tensor<5x2xi32>) -> tensor<5xf32>
    return %0, %1 : tensor<5x6xf32>, tensor<5xf32>
  }

// CHECK-LABEL: func.func @shape_tile_broadcast_fill(
// CHECK: [[V0:%.*]] = "tfl.shape"(%arg0) : (tensor<2x3xf32>) -> tensor<2xi32>
// CHECK: [[V1:%.*]] = "tfl.tile"(%arg0, [[V0]]) : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<4x9xf32>
// CHECK: [[V2:%.*]] = "tfl.broadcast_to"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<4x2x3xf32>
// CHECK: [[V3:%.*]] = "tfl.fill"(%arg1, %arg2) : (tensor<2xi32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK: [[V4:%.*]] = "tfl.reverse_v2"([[V3]], %arg1) : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<2x3xf32>
// CHECK: return [[V1]], [[V2]], [[V4]] :
  func.func @shape_tile_broadcast_fill(%arg0: tensor<2x3xf32>, %arg1: tensor<2xi32>, %arg2: tensor<f32>) -> (tensor<4x9xf32>, tensor<4x2x3xf32>, tensor<2x3xf32>) {
    %0 = "tfl.shape"(%arg0) : (tensor<2x3xf32>) -> tensor<2xi32>
    %1 = "tfl.tile"(%arg0, %0) : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<4x9xf32>
    %2 = "tfl.broadcast_to"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<4x2x3xf32>
    %3 = "tfl.fill"(%arg1, %arg2) : (tensor<2xi32>, tensor<f32>) -> tensor<2x3xf32>
    %4 = "tfl.reverse_v2"(%3, %arg1) : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<2x3xf32>
    return %1, %2, %4 : tensor<4x9xf32>, tensor<4x2x3xf32>, tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @resize(
// CHECK: [[V0:%.*]] = "tfl.resize_bilinear"(%arg0, %arg1) {{.*}}half_pixel_centers = true{{.*}} : (tensor<1x4x4x3xf32>, tensor<2xi32>) -> tensor<1x8x8x3xf32>
// CHECK: [[V1:%.*]] = "tfl.resize_nearest_neighbor"([[V0]], %arg1) {{.*}}align_corners = false{{.*}} : (tensor<1x8x8x3xf32>, tensor<2xi32>) -> tensor<1x8x8x3xf32>
// CHECK: return [[V1]] :
  func.func @resize(%arg0: tensor<1x4x4x3xf32>, %arg1: tensor<2xi32>) -> tensor<1x8x8x3xf32> {
    %0 = "tfl.resize_bilinear"(%arg0, %arg1) {align_corners = false, half_pixel_centers = true} : (tensor<1x4x4x3xf32>, tensor<2xi32>) -> tensor<1x8x8x3xf32>
    %1 = "tfl.resize_nearest_neighbor"(%0, %arg1) {align_corners = false} : (tensor<1x8x8x3xf32>, tensor<2xi32>) -> tensor<1x8x8x3xf32>
    return %1 : tensor<1x8x8x3xf32>
  }

// CHECK-LABEL: func.func @space_depth(
// CHECK: [[V0:%.*]] = "tfl.space_to_depth"(%arg0) {{.*}}block_size = 2 : i32{{.*}} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x8xf32>
// CHECK: [[V1:%.*]] = "tfl.depth_to_space"([[V0]]) {{.*}}block_size = 2 : i32{{.*}} : (tensor<1x2x2x8xf32>) -> tensor<1x4x4x2xf32>
// CHECK: [[V2:%.*]] = "tfl.space_to_batch_nd"([[V1]], %arg1, %arg2) : (tensor<1x4x4x2xf32>, tensor<2xi32>, tensor<2x2xi32>) -> tensor<4x2x2x2xf32>
// CHECK: [[V3:%.*]] = "tfl.batch_to_space_nd"([[V2]], %arg1, %arg2) : (tensor<4x2x2x2xf32>, tensor<2xi32>, tensor<2x2xi32>) -> tensor<1x4x4x2xf32>
// CHECK: return [[V3]] :
  func.func @space_depth(%arg0: tensor<1x4x4x2xf32>, %arg1: tensor<2xi32>, %arg2: tensor<2x2xi32>) -> tensor<1x4x4x2xf32> {
    %0 = "tfl.space_to_depth"(%arg0) {block_size = 2 : i32} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x8xf32>
    %1 = "tfl.depth_to_space"(%0) {block_size = 2 : i32} : (tensor<1x2x2x8xf32>) -> tensor<1x4x4x2xf32>
    %2 = "tfl.space_to_batch_nd"(%1, %arg1, %arg2) : (tensor<1x4x4x2xf32>, tensor<2xi32>, tensor<2x2xi32>) -> tensor<4x2x2x2xf32>
    %3 = "tfl.batch_to_space_nd"(%2, %arg1, %arg2) : (tensor<4x2x2x2xf32>, tensor<2xi32>, tensor<2x2xi32>) -> tensor<1x4x4x2xf32>
    return %3 : tensor<1x4x4x2xf32>
  }

// CHECK-LABEL: func.func @reductions(
// CHECK: [[V0:%.*]] = "tfl.mean"(%arg0, %arg1) {{.*}}keep_dims = true{{.*}} : (tensor<2x3x4xf32>, tensor<2xi32>) -> tensor<2x1x1xf32>
// CHECK: [[V1:%.*]] = "tfl.sum"(%arg0, %arg1) {{.*}}keep_dims = true{{.*}} : (tensor<2x3x4xf32>, tensor<2xi32>) -> tensor<2x1x1xf32>
// CHECK: [[V2:%.*]] = "tfl.reduce_max"(%arg0, %arg1) {{.*}}keep_dims = true{{.*}} : (tensor<2x3x4xf32>, tensor<2xi32>) -> tensor<2x1x1xf32>
// CHECK: [[V3:%.*]] = "tfl.reduce_min"(%arg0, %arg1) {{.*}}keep_dims = true{{.*}} : (tensor<2x3x4xf32>, tensor<2xi32>) -> tensor<2x1x1xf32>
// CHECK: [[V4:%.*]] = "tfl.reduce_prod"(%arg0, %arg1) {{.*}}keep_dims = true{{.*}} : (tensor<2x3x4xf32>, tensor<2xi32>) -> tensor<2x1x1xf32>
// CHECK: return [[V0]], [[V1]], [[V2]], [[V3]], [[V4]] :
  func.func @reductions(%arg0: tensor<2x3x4xf32>, %arg1: tensor<2xi32>) -> (tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>) {
    %0 = "tfl.mean"(%arg0, %arg1) {keep_dims = true} : (tensor<2x3x4xf32>, tensor<2xi32>) -> tensor<2x1x1xf32>
    %1 = "tfl.sum"(%arg0, %arg1) {keep_dims = true} : (tensor<2x3x4xf32>, tensor<2xi32>) -> tensor<2x1x1xf32>
    %2 = "tfl.reduce_max"(%arg0, %arg1) {keep_dims = true} : (tensor<2x3x4xf32>, tensor<2xi32>) -> tensor<2x1x1xf32>
    %3 = "tfl.reduce_min"(%arg0, %arg1) {keep_dims = true} : (tensor<2x3x4xf32>, tensor<2xi32>) -> tensor<2x1x1xf32>
    %4 = "tfl.reduce_prod"(%arg0, %arg1) {keep_dims = true} : (tensor<2x3x4xf32>, tensor<2xi32>) -> tensor<2x1x1xf32>
    return %0, %1, %2, %3, %4 : tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>
  }

// CHECK-LABEL: func.func @logical_reductions(
// CHECK: [[V0:%.*]] = "tfl.reduce_any"(%arg0, %arg1) {{.*}}keep_dims = false{{.*}} : (tensor<2x3xi1>, tensor<1xi32>) -> tensor<2xi1>
// CHECK: [[V1:%.*]] = "tfl.reduce_all"(%arg0, %arg1) : (tensor<2x3xi1>, tensor<1xi32>) -> tensor<2xi1>
// CHECK: return [[V0]], [[V1]] :
  func.func @logical_reductions(%arg0: tensor<2x3xi1>, %arg1: tensor<1xi32>) -> (tensor<2xi1>, tensor<2xi1>) {
    %0 = "tfl.reduce_any"(%arg0, %arg1) {keep_dims = false} : (tensor<2x3xi1>, tensor<1xi32>) -> tensor<2xi1>
    %1 = "tfl.reduce_all"(%arg0, %arg1) : (tensor<2x3xi1>, tensor<1xi32>) -> tensor<2xi1>
    return %0, %1 : tensor<2xi1>, tensor<2xi1>
  }

// CHECK-LABEL: func.func @arg_reductions(
// CHECK: [[V0:%.*]] = "tfl.arg_max"(%arg0, %arg1) : (tensor<2x5xf32>, tensor<1xi32>) -> tensor<2xi32>
// CHECK: [[V1:%.*]] = "tfl.arg_min"(%arg0, %arg1) : (tensor<2x5xf32>, tensor<1xi32>) -> tensor<2xi64>
// CHECK: return [[V0]], [[V1]] :
  func.func @arg_reductions(%arg0: tensor<2x5xf32>, %arg1: tensor<1xi32>) -> (tensor<2xi32>, tensor<2xi64>) {
    %0 = "tfl.arg_max"(%arg0, %arg1) : (tensor<2x5xf32>, tensor<1xi32>) -> tensor<2xi32>
    %1 = "tfl.arg_min"(%arg0, %arg1) : (tensor<2x5xf32>, tensor<1xi32>) -> tensor<2xi64>
    return %0, %1 : tensor<2xi32>, tensor<2xi64>
  }

// CHECK-LABEL: func.func @cumsum_topk(
// CHECK: [[V0:%.*]] = "tfl.cumsum"(%arg0, %arg1) {{.*}}reverse = true{{.*}} : (tensor<2x5xf32>, tensor<i32>) -> tensor<2x5xf32>
// CHECK: [[V1:%.*]]:2 = "tfl.topk_v2"([[V0]], %arg1) : (tensor<2x5xf32>, tensor<i32>) -> (tensor<2x3xf32>, tensor<2x3xi32>)
// CHECK: return [[V1]]#0, [[V1]]#1 :
  func.func @cumsum_topk(%arg0: tensor<2x5xf32>, %arg1: tensor<i32>) -> (tensor<2x3xf32>, tensor<2x3xi32>) {
    %0 = "tfl.cumsum"(%arg0, %arg1) {exclusive = false, reverse = true} : (tensor<2x5xf32>, tensor<i32>) -> tensor<2x5xf32>
    %1:2 = "tfl.topk_v2"(%0, %arg1) : (tensor<2x5xf32>, tensor<i32>) -> (tensor<2x3xf32>, tensor<2x3xi32>)
    return %1#0, %1#1 : tensor<2x3xf32>, tensor<2x3xi32>
  }

// CHECK-LABEL: func.func @quantize_dequantize(
// CHECK: [[V0:%.*]] = "tfl.quantize"(%arg0) {{.*}}qtype = tensor<1x4x!quant.uniform<i8:f32{{.*}} : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK: [[V1:%.*]] = "tfl.quantize"([[V0]]) {{.*}}qtype = tensor<1x4x!quant.uniform<i16:f32{{.*}} : (tensor<1x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<1x4x!quant.uniform<i16:f32, 1.000000e-03>>
// CHECK: [[V2:%.*]] = "tfl.dequantize"([[V1]]) : (tensor<1x4x!quant.uniform<i16:f32, 1.000000e-03>>) -> tensor<1x4xf32>
// CHECK: [[V3:%.*]] = "tfl.fake_quant"([[V2]]) {{.*}}num_bits = 8 : i32{{.*}} : (tensor<1x4xf32>) -> tensor<1x4xf32>
// CHECK: return [[V3]] :
  func.func @quantize_dequantize(%arg0: tensor<1x4xf32>) -> tensor<1x4xf32> {
    %0 = "tfl.quantize"(%arg0) {qtype = tensor<1x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>} : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
    %1 = "tfl.quantize"(%0) {qtype = tensor<1x4x!quant.uniform<i16:f32, 1.000000e-03>>} : (tensor<1x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<1x4x!quant.uniform<i16:f32, 1.000000e-03>>
    %2 = "tfl.dequantize"(%1) : (tensor<1x4x!quant.uniform<i16:f32, 1.000000e-03>>) -> tensor<1x4xf32>
    %3 = "tfl.fake_quant"(%2) {max = 1.000000e+00 : f32, min = -1.000000e+00 : f32, narrow_range = false, num_bits = 8 : i32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    return %3 : tensor<1x4xf32>
  }

// CHECK-LABEL: func.func @constants(
// CHECK: [[V0:%.*]] = "tfl.pseudo_const"() {{.*}}value = dense<{{.*}} : () -> tensor<2x2xf32>
// CHECK: [[V1:%.*]] = "tfl.pseudo_qconst"() {{.*}}value = dense<[1, -2]> : tensor<2xi8>{{.*}} : () -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK: return [[V0]], [[V1]] :
  func.func @constants() -> (tensor<2x2xf32>, tensor<2x!quant.uniform<i8:f32, 5.000000e-01:-3>>) {
    %0 = "tfl.pseudo_const"() {value = dense<[[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
    %1 = "tfl.pseudo_qconst"() {qtype = tensor<2x!quant.uniform<i8:f32, 5.000000e-01:-3>>, value = dense<[1, -2]> : tensor<2xi8>} : () -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01:-3>>
    return %0, %1 : tensor<2x2xf32>, tensor<2x!quant.uniform<i8:f32, 5.000000e-01:-3>>
  }

// CHECK-LABEL: func.func @unidirectional_sequence_lstm(
// CHECK: [[V0:%.*]] = "tfl.no_value"() {{.*}}value{{.*}} : () -> none
// CHECK: [[V1:%.*]] = "tfl.unidirectional_sequence_lstm"(%arg0, %arg1, %arg1, %arg1, %arg1, %arg2, %arg2, %arg2, %arg2, [[V0]], [[V0]], [[V0]], %arg3, %arg3, %arg3, %arg3, [[V0]], [[V0]], %arg4, %arg5, [[V0]], [[V0]], [[V0]], [[V0]]) {{.*}}fused_activation_function = "TANH"{{.*}} : (tensor<1x2x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, none, none, none, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, none, none, tensor<1x4xf32>, tensor<1x4xf32>, none, none, none, none) -> tensor<1x2x4xf32>
// CHECK: return [[V1]] :
  func.func @unidirectional_sequence_lstm(%arg0: tensor<1x2x3xf32>, %arg1: tensor<4x3xf32>, %arg2: tensor<4x4xf32>, %arg3: tensor<4xf32>, %arg4: tensor<1x4xf32>, %arg5: tensor<1x4xf32>) -> tensor<1x2x4xf32> {
    %0 = "tfl.no_value"() {value} : () -> none
    %1 = "tfl.unidirectional_sequence_lstm"(%arg0, %arg1, %arg1, %arg1, %arg1, %arg2, %arg2, %arg2, %arg2, %0, %0, %0, %arg3, %arg3, %arg3, %arg3, %0, %0, %arg4, %arg5, %0, %0, %0, %0) {cell_clip = 0.000000e+00 : f32, fused_activation_function = "TANH", proj_clip = 0.000000e+00 : f32, time_major = false} : (tensor<1x2x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, none, none, none, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, none, none, tensor<1x4xf32>, tensor<1x4xf32>, none, none, none, none) -> tensor<1x2x4xf32>
    return %1 : tensor<1x2x4xf32>
  }

// CHECK-LABEL: func.func @lstm_cifg(
// CHECK: [[V0:%.*]] = "tfl.no_value"() {{.*}}value{{.*}} : () -> none
// CHECK: [[V1:%.*]] = "tfl.lstm"(%arg0, [[V0]], %arg1, %arg1, %arg1, [[V0]], %arg2, %arg2, %arg2, [[V0]], [[V0]], [[V0]], [[V0]], %arg3, %arg3, %arg3, [[V0]], [[V0]], %arg4, %arg5, [[V0]], [[V0]], [[V0]], [[V0]]) {{.*}}kernel_type = "FULL"{{.*}} : (tensor<1x3xf32>, none, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, none, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, none, none, none, none, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, none, none, tensor<1x4xf32>, tensor<1x4xf32>, none, none, none, none) -> tensor<1x4xf32>
// CHECK: return [[V1]] :
  func.func @lstm_cifg(%arg0: tensor<1x3xf32>, %arg1: tensor<4x3xf32>, %arg2: tensor<4x4xf32>, %arg3: tensor<4xf32>, %arg4: tensor<1x4xf32>, %arg5: tensor<1x4xf32>) -> tensor<1x4xf32> {
    %0 = "tfl.no_value"() {value} : () -> none
    %1 = "tfl.lstm"(%arg0, %0, %arg1, %arg1, %arg1, %0, %arg2, %arg2, %arg2, %0, %0, %0, %0, %arg3, %arg3, %arg3, %0, %0, %arg4, %arg5, %0, %0, %0, %0) {fused_activation_function = "TANH", input_to_input_intermediate = tensor<0xf32>, kernel_type = "FULL"} : (tensor<1x3xf32>, none, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, none, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, none, none, none, none, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, none, none, tensor<1x4xf32>, tensor<1x4xf32>, none, none, none, none) -> tensor<1x4xf32>
    return %1 : tensor<1x4xf32>
  }

// CHECK-LABEL: func.func @bidirectional_sequence_lstm(
// CHECK: [[V0:%.*]] = "tfl.no_value"() {{.*}}value{{.*}} : () -> none
// CHECK: [[V1:%.*]]:2 = "tfl.bidirectional_sequence_lstm"(%arg0, %arg1, %arg1, %arg1, %arg1, %arg2, %arg2, %arg2, %arg2, [[V0]], [[V0]], [[V0]], %arg3, %arg3, %arg3, %arg3, [[V0]], [[V0]], %arg1, %arg1, %arg1, %arg1, %arg2, %arg2, %arg2, %arg2, [[V0]], [[V0]], [[V0]], %arg3, %arg3, %arg3, %arg3, [[V0]], [[V0]], %arg4, %arg4, %arg4, %arg4, [[V0]], [[V0]], [[V0]], [[V0]], [[V0]], [[V0]], [[V0]], [[V0]], [[V0]]) {{.*}}merge_outputs = false{{.*}} : (tensor<1x2x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, none, none, none, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, none, none, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, none, none, none, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, none, none, tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>, none, none, none, none, none, none, none, none, none) -> (tensor<1x2x4xf32>, tensor<1x2x4xf32>)
// CHECK: return [[V1]]#0, [[V1]]#1 :
  func.func @bidirectional_sequence_lstm(%arg0: tensor<1x2x3xf32>, %arg1: tensor<4x3xf32>, %arg2: tensor<4x4xf32>, %arg3: tensor<4xf32>, %arg4: tensor<1x4xf32>) -> (tensor<1x2x4xf32>, tensor<1x2x4xf32>) {
    %0 = "tfl.no_value"() {value} : () -> none
    %1:2 = "tfl.bidirectional_sequence_lstm"(%arg0, %arg1, %arg1, %arg1, %arg1, %arg2, %arg2, %arg2, %arg2, %0, %0, %0, %arg3, %arg3, %arg3, %arg3, %0, %0, %arg1, %arg1, %arg1, %arg1, %arg2, %arg2, %arg2, %arg2, %0, %0, %0, %arg3, %arg3, %arg3, %arg3, %0, %0, %arg4, %arg4, %arg4, %arg4, %0, %0, %0, %0, %0, %0, %0, %0, %0) {fused_activation_function = "NONE", merge_outputs = false, time_major = false} : (tensor<1x2x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, none, none, none, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, none, none, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, none, none, none, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, none, none, tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>, none, none, none, none, none, none, none, none, none) -> (tensor<1x2x4xf32>, tensor<1x2x4xf32>)
    return %1#0, %1#1 : tensor<1x2x4xf32>, tensor<1x2x4xf32>
  }

// CHECK-LABEL: func.func @rnns(
// CHECK: [[V0:%.*]] = "tfl.unidirectional_sequence_rnn"(%arg0, %arg1, %arg2, %arg3, %arg4) {{.*}}time_major = false{{.*}} : (tensor<2x3x5xf32>, tensor<4x5xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x3x4xf32>
// CHECK: [[V1:%.*]] = "tfl.rnn"(%arg5, %arg1, %arg2, %arg3, %arg4) {{.*}}fused_activation_function = "NONE"{{.*}} : (tensor<2x5xf32>, tensor<4x5xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK: return [[V0]], [[V1]] :
  func.func @rnns(%arg0: tensor<2x3x5xf32>, %arg1: tensor<4x5xf32>, %arg2: tensor<4x4xf32>, %arg3: tensor<4xf32>, %arg4: tensor<2x4xf32>, %arg5: tensor<2x5xf32>) -> (tensor<2x3x4xf32>, tensor<2x4xf32>) {
    %0 = "tfl.unidirectional_sequence_rnn"(%arg0, %arg1, %arg2, %arg3, %arg4) {fused_activation_function = "NONE", time_major = false} : (tensor<2x3x5xf32>, tensor<4x5xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x3x4xf32>
    %1 = "tfl.rnn"(%arg5, %arg1, %arg2, %arg3, %arg4) {fused_activation_function = "NONE"} : (tensor<2x5xf32>, tensor<4x5xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
    return %0, %1 : tensor<2x3x4xf32>, tensor<2x4xf32>
  }

// CHECK-LABEL: func.func @svdf(
// CHECK: [[V0:%.*]] = "tfl.svdf"(%arg0, %arg1, %arg2, %arg3, %arg4) {{.*}}rank = 2 : i32{{.*}} : (tensor<2x10xf32>, tensor<8x10xf32>, tensor<8x5xf32>, tensor<4xf32>, tensor<2x40xf32>) -> tensor<2x4xf32>
// CHECK: return [[V0]] :
  func.func @svdf(%arg0: tensor<2x10xf32>, %arg1: tensor<8x10xf32>, %arg2: tensor<8x5xf32>, %arg3: tensor<4xf32>, %arg4: tensor<2x40xf32>) -> tensor<2x4xf32> {
    %0 = "tfl.svdf"(%arg0, %arg1, %arg2, %arg3, %arg4) {fused_activation_function = "NONE", rank = 2 : i32} : (tensor<2x10xf32>, tensor<8x10xf32>, tensor<8x5xf32>, tensor<4xf32>, tensor<2x40xf32>) -> tensor<2x4xf32>
    return %0 : tensor<2x4xf32>
  }

// CHECK-LABEL: func.func @lookups_and_sparse(
// CHECK: [[V0:%.*]] = "tfl.embedding_lookup"(%arg0, %arg1) : (tensor<3xi32>, tensor<10x4xf32>) -> tensor<3x4xf32>
// CHECK: [[V1:%.*]] = "tfl.sparse_to_dense"(%arg2, %arg3, %arg4, %arg5) : (tensor<3x2xi32>, tensor<2xi32>, tensor<3xf32>, tensor<f32>) -> tensor<4x4xf32>
// CHECK: [[V2:%.*]] = "tfl.one_hot"(%arg0, %arg5, %arg5, %arg5) {{.*}}axis = -1 : i32{{.*}} : (tensor<3xi32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<3x5xf32>
// CHECK: [[V3:%.*]] = "tfl.scatter_nd"(%arg2, %arg4, %arg3) : (tensor<3x2xi32>, tensor<3xf32>, tensor<2xi32>) -> tensor<4x4xf32>
// CHECK: return [[V0]], [[V1]], [[V2]], [[V3]] :
  func.func @lookups_and_sparse(%arg0: tensor<3xi32>, %arg1: tensor<10x4xf32>, %arg2: tensor<3x2xi32>, %arg3: tensor<2xi32>, %arg4: tensor<3xf32>, %arg5: tensor<f32>) -> (tensor<3x4xf32>, tensor<4x4xf32>, tensor<3x5xf32>, tensor<4x4xf32>) {
    %0 = "tfl.embedding_lookup"(%arg0, %arg1) : (tensor<3xi32>, tensor<10x4xf32>) -> tensor<3x4xf32>
    %1 = "tfl.sparse_to_dense"(%arg2, %arg3, %arg4, %arg5) : (tensor<3x2xi32>, tensor<2xi32>, tensor<3xf32>, tensor<f32>) -> tensor<4x4xf32>
    %2 = "tfl.one_hot"(%arg0, %arg5, %arg5, %arg5) {axis = -1 : i32} : (tensor<3xi32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<3x5xf32>
    %3 = "tfl.scatter_nd"(%arg2, %arg4, %arg3) : (tensor<3x2xi32>, tensor<3xf32>, tensor<2xi32>) -> tensor<4x4xf32>
    return %0, %1, %2, %3 : tensor<3x4xf32>, tensor<4x4xf32>, tensor<3x5xf32>, tensor<4x4xf32>
  }

// CHECK-LABEL: func.func @sequences(
// CHECK: [[V0:%.*]] = "tfl.range"(%arg0, %arg0, %arg0) : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<?xi32>
// CHECK: [[V1:%.*]]:2 = "tfl.unique"(%arg1) : (tensor<6xf32>) -> (tensor<?xf32>, tensor<6xi32>)
// CHECK: [[V2:%.*]] = "tfl.where"(%arg1) : (tensor<6xf32>) -> tensor<?x1xi64>
// CHECK: [[V3:%.*]] = "tfl.rank"(%arg2) : (tensor<2x6xf32>) -> tensor<i32>
// CHECK: [[V4:%.*]] = "tfl.reverse_sequence"(%arg2, %arg3) {{.*}}batch_dim = 0 : i32{{.*}} : (tensor<2x6xf32>, tensor<2xi32>) -> tensor<2x6xf32>
// CHECK: return [[V0]], [[V1]]#0, [[V2]], [[V3]], [[V4]] :
  func.func @sequences(%arg0: tensor<i32>, %arg1: tensor<6xf32>, %arg2: tensor<2x6xf32>, %arg3: tensor<2xi32>) -> (tensor<?xi32>, tensor<?xf32>, tensor<?x1xi64>, tensor<i32>, tensor<2x6xf32>) {
    %0 = "tfl.range"(%arg0, %arg0, %arg0) : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<?xi32>
    %1:2 = "tfl.unique"(%arg1) : (tensor<6xf32>) -> (tensor<?xf32>, tensor<6xi32>)
    %2 = "tfl.where"(%arg1) : (tensor<6xf32>) -> tensor<?x1xi64>
    %3 = "tfl.rank"(%arg2) : (tensor<2x6xf32>) -> tensor<i32>
    %4 = "tfl.reverse_sequence"(%arg2, %arg3) {batch_dim = 0 : i32, seq_dim = 1 : i32} : (tensor<2x6xf32>, tensor<2xi32>) -> tensor<2x6xf32>
    return %0, %1#0, %2, %3, %4 : tensor<?xi32>, tensor<?xf32>, tensor<?x1xi64>, tensor<i32>, tensor<2x6xf32>
  }

// CHECK-LABEL: func.func @matrices(
// CHECK: [[V0:%.*]] = "tfl.matrix_diag"(%arg0) : (tensor<2x3xf32>) -> tensor<2x3x3xf32>
// CHECK: [[V1:%.*]] = "tfl.matrix_set_diag"(%arg1, %arg0) : (tensor<2x3x3xf32>, tensor<2x3xf32>) -> tensor<2x3x3xf32>
// CHECK: return [[V0]], [[V1]] :
  func.func @matrices(%arg0: tensor<2x3xf32>, %arg1: tensor<2x3x3xf32>) -> (tensor<2x3x3xf32>, tensor<2x3x3xf32>) {
    %0 = "tfl.matrix_diag"(%arg0) : (tensor<2x3xf32>) -> tensor<2x3x3xf32>
    %1 = "tfl.matrix_set_diag"(%arg1, %arg0) : (tensor<2x3x3xf32>, tensor<2x3xf32>) -> tensor<2x3x3xf32>
    return %0, %1 : tensor<2x3x3xf32>, tensor<2x3x3xf32>
  }

// CHECK-LABEL: func.func @nms(
// CHECK: [[V0:%.*]]:2 = "tfl.non_max_suppression_v4"(%arg0, %arg1, %arg2, %arg3, %arg3) : (tensor<10x4xf32>, tensor<10xf32>, tensor<i32>, tensor<f32>, tensor<f32>) -> (tensor<5xi32>, tensor<i32>)
// CHECK: [[V1:%.*]]:3 = "tfl.non_max_suppression_v5"(%arg0, %arg1, %arg2, %arg3, %arg3, %arg3) : (tensor<10x4xf32>, tensor<10xf32>, tensor<i32>, tensor<f32>, tensor<f32>, tensor<f32>) -> (tensor<5xi32>, tensor<5xf32>, tensor<i32>)
// CHECK: return [[V0]]#0, [[V1]]#1 :
  func.func @nms(%arg0: tensor<10x4xf32>, %arg1: tensor<10xf32>, %arg2: tensor<i32>, %arg3: tensor<f32>) -> (tensor<5xi32>, tensor<5xf32>) {
    %0:2 = "tfl.non_max_suppression_v4"(%arg0, %arg1, %arg2, %arg3, %arg3) : (tensor<10x4xf32>, tensor<10xf32>, tensor<i32>, tensor<f32>, tensor<f32>) -> (tensor<5xi32>, tensor<i32>)
    %1:3 = "tfl.non_max_suppression_v5"(%arg0, %arg1, %arg2, %arg3, %arg3, %arg3) : (tensor<10x4xf32>, tensor<10xf32>, tensor<i32>, tensor<f32>, tensor<f32>, tensor<f32>) -> (tensor<5xi32>, tensor<5xf32>, tensor<i32>)
    return %0#0, %1#1 : tensor<5xi32>, tensor<5xf32>
  }

// CHECK-LABEL: func.func @segments(
// CHECK: [[V0:%.*]] = "tfl.segment_sum"(%arg0, %arg1) : (tensor<4x2xf32>, tensor<4xi32>) -> tensor<3x2xf32>
// CHECK: [[V1:%.*]] = "tfl.unsorted_segment_prod"(%arg0, %arg1, %arg2) : (tensor<4x2xf32>, tensor<4xi32>, tensor<i32>) -> tensor<3x2xf32>
// CHECK: [[V2:%.*]] = "tfl.unsorted_segment_max"(%arg0, %arg1, %arg2) : (tensor<4x2xf32>, tensor<4xi32>, tensor<i32>) -> tensor<3x2xf32>
// CHECK: [[V3:%.*]] = "tfl.unsorted_segment_min"(%arg0, %arg1, %arg2) : (tensor<4x2xf32>, tensor<4xi32>, tensor<i32>) -> tensor<3x2xf32>
// CHECK: [[V4:%.*]] = "tfl.unsorted_segment_sum"(%arg0, %arg1, %arg2) : (tensor<4x2xf32>, tensor<4xi32>, tensor<i32>) -> tensor<3x2xf32>
// CHECK: return [[V0]], [[V1]], [[V2]], [[V3]], [[V4]] :
  func.func @segments(%arg0: tensor<4x2xf32>, %arg1: tensor<4xi32>, %arg2: tensor<i32>) -> (tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>) {
    %0 = "tfl.segment_sum"(%arg0, %arg1) : (tensor<4x2xf32>, tensor<4xi32>) -> tensor<3x2xf32>
    %1 = "tfl.unsorted_segment_prod"(%arg0, %arg1, %arg2) : (tensor<4x2xf32>, tensor<4xi32>, tensor<i32>) -> tensor<3x2xf32>
    %2 = "tfl.unsorted_segment_max"(%arg0, %arg1, %arg2) : (tensor<4x2xf32>, tensor<4xi32>, tensor<i32>) -> tensor<3x2xf32>
    %3 = "tfl.unsorted_segment_min"(%arg0, %arg1, %arg2) : (tensor<4x2xf32>, tensor<4xi32>, tensor<i32>) -> tensor<3x2xf32>
    %4 = "tfl.unsorted_segment_sum"(%arg0, %arg1, %arg2) : (tensor<4x2xf32>, tensor<4xi32>, tensor<i32>) -> tensor<3x2xf32>
    return %0, %1, %2, %3, %4 : tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>
  }

// CHECK-LABEL: func.func @conv_3d(
// CHECK: [[V0:%.*]] = "tfl.no_value"() {{.*}}value{{.*}} : () -> none
// CHECK: [[V1:%.*]] = "tfl.conv_3d"(%arg0, %arg1, [[V0]]) {{.*}}stride_d = 1 : i32{{.*}} : (tensor<1x4x4x4x2xf32>, tensor<2x2x2x2x3xf32>, none) -> tensor<1x4x4x4x3xf32>
// CHECK: [[V2:%.*]] = "tfl.conv_3d_transpose"(%arg2, %arg1, [[V1]], [[V0]]) {{.*}}padding = "SAME"{{.*}} : (tensor<5xi32>, tensor<2x2x2x2x3xf32>, tensor<1x4x4x4x3xf32>, none) -> tensor<1x4x4x4x2xf32>
// CHECK: return [[V2]] :
  func.func @conv_3d(%arg0: tensor<1x4x4x4x2xf32>, %arg1: tensor<2x2x2x2x3xf32>, %arg2: tensor<5xi32>) -> tensor<1x4x4x4x2xf32> {
    %0 = "tfl.no_value"() {value} : () -> none
    %1 = "tfl.conv_3d"(%arg0, %arg1, %0) {dilation_d_factor = 1 : i32, dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_d = 1 : i32, stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x4x4x4x2xf32>, tensor<2x2x2x2x3xf32>, none) -> tensor<1x4x4x4x3xf32>
    %2 = "tfl.conv_3d_transpose"(%arg2, %arg1, %1, %0) {fused_activation_function = "NONE", padding = "SAME"} : (tensor<5xi32>, tensor<2x2x2x2x3xf32>, tensor<1x4x4x4x3xf32>, none) -> tensor<1x4x4x4x2xf32>
    return %2 : tensor<1x4x4x4x2xf32>
  }

// CHECK-LABEL: func.func @atan2(
// CHECK: [[V0:%.*]] = "tfl.atan2"(%arg0, %arg1) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK: return [[V0]] :
  func.func @atan2(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xf32> {
    %0 = "tfl.atan2"(%arg0, %arg1) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    return %0 : tensor<4xf32>
  }

// CHECK-LABEL: func.func @integer_bits(
// CHECK: [[V0:%.*]] = "tfl.bitwise_xor"(%arg0, %arg1) : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
// CHECK: [[V1:%.*]] = "tfl.right_shift"([[V0]], %arg1) : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
// CHECK: [[V2:%.*]] = "tfl.bitcast"([[V1]]) : (tensor<4xi32>) -> tensor<4xf32>
// CHECK: [[V3:%.*]] = "tfl.broadcast_args"(%arg0, %arg1) : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
// CHECK: return [[V2]], [[V3]] :
  func.func @integer_bits(%arg0: tensor<4xi32>, %arg1: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
    %0 = "tfl.bitwise_xor"(%arg0, %arg1) : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %1 = "tfl.right_shift"(%0, %arg1) : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %2 = "tfl.bitcast"(%1) : (tensor<4xi32>) -> tensor<4xf32>
    %3 = "tfl.broadcast_args"(%arg0, %arg1) : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    return %2, %3 : tensor<4xf32>, tensor<4xi32>
  }

// CHECK-LABEL: func.func @random(
// CHECK: [[V0:%.*]] = "tfl.random_uniform"(%arg0) {{.*}}seed = 1 : i64{{.*}} : (tensor<2xi32>) -> tensor<2x3xf32>
// CHECK: [[V1:%.*]] = "tfl.random_standard_normal"(%arg0) : (tensor<2xi32>) -> tensor<2x3xf32>
// CHECK: [[V2:%.*]] = "tfl.multinomial"(%arg1, %arg0) : (tensor<1x5xf32>, tensor<2xi32>) -> tensor<1x4xi32>
// CHECK: return [[V0]], [[V1]], [[V2]] :
  func.func @random(%arg0: tensor<2xi32>, %arg1: tensor<1x5xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x4xi32>) {
    %0 = "tfl.random_uniform"(%arg0) {seed = 1 : i64, seed2 = 2 : i64} : (tensor<2xi32>) -> tensor<2x3xf32>
    %1 = "tfl.random_standard_normal"(%arg0) : (tensor<2xi32>) -> tensor<2x3xf32>
    %2 = "tfl.multinomial"(%arg1, %arg0) : (tensor<1x5xf32>, tensor<2xi32>) -> tensor<1x4xi32>
    return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x4xi32>
  }

// CHECK-LABEL: func.func @misc_numeric(
// CHECK: [[V0:%.*]] = "tfl.local_response_normalization"(%arg0) {{.*}}radius = 2 : i32{{.*}} : (tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
// CHECK: [[V1:%.*]] = "tfl.bucketize"(%arg1) {{.*}}boundaries = [{{.*}} : (tensor<5xf32>) -> tensor<5xi32>
// CHECK: [[V2:%.*]] = "tfl.dynamic_update_slice"(%arg2, %arg3, %arg4) : (tensor<4x4xi32>, tensor<2x2xi32>, tensor<2xi32>) -> tensor<4x4xi32>
// CHECK: [[V3:%.*]] = "tfl.dilate"(%arg2, %arg4, %arg5) : (tensor<4x4xi32>, tensor<2xi32>, tensor<i32>) -> tensor<7x7xi32>
// CHECK: [[V4:%.*]] = "tfl.densify"(%arg1) : (tensor<5xf32>) -> tensor<5xf32>
// CHECK: return [[V0]], [[V1]], [[V2]], [[V3]], [[V4]] :
  func.func @misc_numeric(%arg0: tensor<1x4x4x8xf32>, %arg1: tensor<5xf32>, %arg2: tensor<4x4xi32>, %arg3: tensor<2x2xi32>, %arg4: tensor<2xi32>, %arg5: tensor<i32>) -> (tensor<1x4x4x8xf32>, tensor<5xi32>, tensor<4x4xi32>, tensor<7x7xi32>, tensor<5xf32>) {
    %0 = "tfl.local_response_normalization"(%arg0) {alpha = 1.000000e+00 : f32, beta = 5.000000e-01 : f32, bias = 1.000000e+00 : f32, radius = 2 : i32} : (tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
    %1 = "tfl.bucketize"(%arg1) {boundaries = [0.000000e+00 : f32, 1.000000e+01 : f32]} : (tensor<5xf32>) -> tensor<5xi32>
    %2 = "tfl.dynamic_update_slice"(%arg2, %arg3, %arg4) : (tensor<4x4xi32>, tensor<2x2xi32>, tensor<2xi32>) -> tensor<4x4xi32>
    %3 = "tfl.dilate"(%arg2, %arg4, %arg5) : (tensor<4x4xi32>, tensor<2xi32>, tensor<i32>) -> tensor<7x7xi32>
    %4 = "tfl.densify"(%arg1) : (tensor<5xf32>) -> tensor<5xf32>
    return %0, %1, %2, %3, %4 : tensor<1x4x4x8xf32>, tensor<5xi32>, tensor<4x4xi32>, tensor<7x7xi32>, tensor<5xf32>
  }

// CHECK-LABEL: func.func @resources(
// CHECK: [[V0:%.*]] = "tfl.var_handle"() {{.*}}shared_name = "v"{{.*}} : () -> tensor<!tf_type.resource>
// CHECK: "tfl.assign_variable"([[V0]], %arg0) : (tensor<!tf_type.resource>, tensor<4xf32>) -> ()
// CHECK: [[V1:%.*]] = "tfl.read_variable"([[V0]]) : (tensor<!tf_type.resource>) -> tensor<4xf32>
// CHECK: [[V2:%.*]] = "tfl.hashtable"() {{.*}}table_id = 1 : i32{{.*}} : () -> tensor<!tf_type.resource>
// CHECK: "tfl.hashtable_import"([[V2]], %arg1, %arg2) : (tensor<!tf_type.resource>, tensor<2xi64>, tensor<2xf32>) -> ()
// CHECK: [[V3:%.*]] = "tfl.hashtable_find"([[V2]], %arg1, %arg2) : (tensor<!tf_type.resource>, tensor<2xi64>, tensor<2xf32>) -> tensor<2xf32>
// CHECK: [[V4:%.*]] = "tfl.hashtable_size"([[V2]]) : (tensor<!tf_type.resource>) -> tensor<i64>
// CHECK: return [[V1]], [[V3]], [[V4]] :
  func.func @resources(%arg0: tensor<4xf32>, %arg1: tensor<2xi64>, %arg2: tensor<2xf32>) -> (tensor<4xf32>, tensor<2xf32>, tensor<i64>) {
    %0 = "tfl.var_handle"() {container = "", shared_name = "v"} : () -> tensor<!tf_type.resource>
    "tfl.assign_variable"(%0, %arg0) : (tensor<!tf_type.resource>, tensor<4xf32>) -> ()
    %1 = "tfl.read_variable"(%0) : (tensor<!tf_type.resource>) -> tensor<4xf32>
    %2 = "tfl.hashtable"() {key_dtype = i64, table_id = 1 : i32, value_dtype = f32} : () -> tensor<!tf_type.resource>
    "tfl.hashtable_import"(%2, %arg1, %arg2) : (tensor<!tf_type.resource>, tensor<2xi64>, tensor<2xf32>) -> ()
    %3 = "tfl.hashtable_find"(%2, %arg1, %arg2) : (tensor<!tf_type.resource>, tensor<2xi64>, tensor<2xf32>) -> tensor<2xf32>
    %4 = "tfl.hashtable_size"(%2) : (tensor<!tf_type.resource>) -> tensor<i64>
    return %1, %3, %4 : tensor<4xf32>, tensor<2xf32>, tensor<i64>
  }

// CHECK-LABEL: func.func @custom(
// CHECK: [[V0:%.*]] = "tfl.no_value"() {{.*}}value{{.*}} : () -> none
// CHECK: [[V1:%.*]] = "tfl.custom"(%arg0, [[V0]]) {{.*}}custom_code = "MyCustomOp"{{.*}} : (tensor<2x3xf32>, none) -> tensor<2x3xf32>
// CHECK: return [[V1]] :
  func.func @custom(%arg0: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %0 = "tfl.no_value"() {value} : () -> none
    %1 = "tfl.custom"(%arg0, %0) {custom_code = "MyCustomOp", custom_option = dense<[1, 2, 3]> : tensor<3xui8>} : (tensor<2x3xf32>, none) -> tensor<2x3xf32>
    return %1 : tensor<2x3xf32>
  }
// CHECK-LABEL: func.func @while_loop(
// CHECK: [[W:%.*]] = "tfl.while"(%arg0) ({
// CHECK: "tfl.less"
// CHECK: "tfl.yield"
// CHECK: }, {
// CHECK: "tfl.add"
// CHECK: "tfl.yield"
// CHECK: }) {is_stateless = true} : (tensor<i32>) -> tensor<i32>
// CHECK: return [[W]]
  func.func @while_loop(%arg0: tensor<i32>) -> tensor<i32> {
    %0 = "tfl.while"(%arg0) ({
    ^bb0(%arg1: tensor<i32>):
      %1 = "tfl.pseudo_const"() {value = dense<10> : tensor<i32>} : () -> tensor<i32>
      %2 = "tfl.less"(%arg1, %1) : (tensor<i32>, tensor<i32>) -> tensor<i1>
      "tfl.yield"(%2) : (tensor<i1>) -> ()
    }, {
    ^bb0(%arg1: tensor<i32>):
      %1 = "tfl.pseudo_const"() {value = dense<1> : tensor<i32>} : () -> tensor<i32>
      %2 = "tfl.add"(%arg1, %1) {fused_activation_function = "NONE"} : (tensor<i32>, tensor<i32>) -> tensor<i32>
      "tfl.yield"(%2) : (tensor<i32>) -> ()
    }) {is_stateless = true} : (tensor<i32>) -> tensor<i32>
    return %0 : tensor<i32>
  }

// CHECK-LABEL: func.func @if_else(
// CHECK: "tfl.if"(%arg0) ({
// CHECK: "tfl.yield"(%arg1)
// CHECK: }, {
// CHECK: "tfl.neg"(%arg1)
// CHECK: "tfl.yield"
// CHECK: }) : (tensor<i1>) -> tensor<4xf32>
  func.func @if_else(%arg0: tensor<i1>, %arg1: tensor<4xf32>) -> tensor<4xf32> {
    %0 = "tfl.if"(%arg0) ({
      "tfl.yield"(%arg1) : (tensor<4xf32>) -> ()
    }, {
      %1 = "tfl.neg"(%arg1) : (tensor<4xf32>) -> tensor<4xf32>
      "tfl.yield"(%1) : (tensor<4xf32>) -> ()
    }) : (tensor<i1>) -> tensor<4xf32>
    return %0 : tensor<4xf32>
  }

// CHECK-LABEL: func.func @call_once(
// CHECK: "tfl.call_once"() {session_init_function = "init"} : () -> ()
  func.func @call_once() {
    "tfl.call_once"() {session_init_function = "init"} : () -> ()
    return
  }
}
