// RUN: qopt %s --split-input-file --verify-diagnostics
// Each chunk holds one quant op that its verifier rejects, with the stable message it reports.

module {
  func.func @qcast_float_result(%arg0: tensor<4xf32>) {
    // expected-error@+1 {{'quant.qcast' op result must have a quantized element type, got f32}}
    %0 = "quant.qcast"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
    return
  }
}

// -----

module {
  func.func @qcast_expressed(%arg0: tensor<4xf16>) {
    // expected-error@+1 {{'quant.qcast' op expressed type f32 of the result does not match the operand element type f16}}
    %0 = "quant.qcast"(%arg0) : (tensor<4xf16>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
    return
  }
}

// -----

module {
  func.func @qcast_per_axis_size(%arg0: tensor<2x3xf32>) {
    // expected-error@+1 {{'quant.qcast' op per-axis type has 2 scales for dimension 1 of size 3}}
    %0 = "quant.qcast"(%arg0) : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01}>>
    return
  }
}

// -----

module {
  func.func @dcast_float_operand(%arg0: tensor<4xf32>) {
    // expected-error@+1 {{'quant.dcast' op operand must have a quantized element type, got f32}}
    %0 = "quant.dcast"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
    return
  }
}

// -----

module {
  func.func @scast_storage(%arg0: tensor<4xi16>) {
    // expected-error@+1 {{'quant.scast' op storage type i8 of the quantized type does not match i16}}
    %0 = "quant.scast"(%arg0) : (tensor<4xi16>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
    return
  }
}

// -----

module {
  func.func @scast_no_quant(%arg0: tensor<4xi8>) {
    // expected-error@+1 {{'quant.scast' op exactly one of the operand and result must have a quantized element type}}
    %0 = "quant.scast"(%arg0) : (tensor<4xi8>) -> tensor<4xi8>
    return
  }
}

// -----

module {
  func.func @stats_layer_size(%arg0: tensor<2x3xf32>) {
    // expected-error@+1 {{'quantfork.stats' op layerStats must have 2 elements [min, max], got 3}}
    %0 = "quantfork.stats"(%arg0) {layerStats = dense<[-1.000000e+00, 0.000000e+00, 1.000000e+00]> : tensor<3xf32>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    return
  }
}

// -----

module {
  func.func @stats_min_max(%arg0: tensor<2x3xf32>) {
    // expected-error@+1 {{'quantfork.stats' op layerStats min (2) exceeds max (-1)}}
    %0 = "quantfork.stats"(%arg0) {layerStats = dense<[2.000000e+00, -1.000000e+00]> : tensor<2xf32>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    return
  }
}

// -----

module {
  func.func @stats_axis_missing(%arg0: tensor<2x3xf32>) {
    // expected-error@+1 {{'quantfork.stats' op axisStats requires an axis}}
    %0 = "quantfork.stats"(%arg0) {axisStats = dense<[[-1.000000e+00, 1.000000e+00], [-2.000000e+00, 2.000000e+00], [-3.000000e+00, 3.000000e+00]]> : tensor<3x2xf32>, layerStats = dense<[-3.000000e+00, 3.000000e+00]> : tensor<2xf32>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    return
  }
}

// -----

module {
  func.func @stats_axis_rows(%arg0: tensor<2x3xf32>) {
    // expected-error@+1 {{'quantfork.stats' op axisStats has 3 rows, expected 2 (dimension 0)}}
    %0 = "quantfork.stats"(%arg0) {axis = 0 : i64, axisStats = dense<[[-1.000000e+00, 1.000000e+00], [-2.000000e+00, 2.000000e+00], [-3.000000e+00, 3.000000e+00]]> : tensor<3x2xf32>, layerStats = dense<[-3.000000e+00, 3.000000e+00]> : tensor<2xf32>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    return
  }
}

// -----

module {
  func.func @fake_quant_bits(%arg0: tensor<4xf32>) {
    // expected-error@+1 {{'quantfork.const_fake_quant' op num_bits must be in [2, 16], got 17}}
    %0 = "quantfork.const_fake_quant"(%arg0) {max = 1.000000e+00 : f32, min = -1.000000e+00 : f32, num_bits = 17 : i64} : (tensor<4xf32>) -> tensor<4xf32>
    return
  }
}

// -----

module {
  func.func @fake_quant_range(%arg0: tensor<4xf32>) {
    // expected-error@+1 {{'quantfork.const_fake_quant' op min (2) must not exceed max (1)}}
    %0 = "quantfork.const_fake_quant"(%arg0) {max = 1.000000e+00 : f32, min = 2.000000e+00 : f32, num_bits = 8 : i64} : (tensor<4xf32>) -> tensor<4xf32>
    return
  }
}
