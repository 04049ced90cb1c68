// RUN: qopt %s | qopt | filecheck %s
// Round trip of the quant dialect ops in generic form.

module {
// CHECK-LABEL: func.func @casts(
// CHECK: [[Q:%.*]] = "quant.qcast"(%arg0) : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK: [[S:%.*]] = "quant.scast"([[Q]]) : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<2x3xi8>
// CHECK: [[S2:%.*]] = "quant.scast"([[S]]) : (tensor<2x3xi8>) -> tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK: [[D:%.*]] = "quant.dcast"([[S2]]) : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<2x3xf32>
// CHECK: return [[D]] :
  func.func @casts(%arg0: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %0 = "quant.qcast"(%arg0) : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>
    %1 = "quant.scast"(%0) : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<2x3xi8>
    %2 = "quant.scast"(%1) : (tensor<2x3xi8>) -> tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>
    %3 = "quant.dcast"(%2) : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<2x3xf32>
    return %3 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @per_axis_cast(
// CHECK: "quant.qcast"(%arg0) : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:1, {1.000000e-01,2.000000e-01,3.000000e-01}>>
  func.func @per_axis_cast(%arg0: tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:1, {1.000000e-01,2.000000e-01,3.000000e-01}>> {
    %0 = "quant.qcast"(%arg0) : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:1, {1.000000e-01,2.000000e-01,3.000000e-01}>>
    return %0 : tensor<2x3x!quant.uniform<i8<-127:127>:f32:1, {1.000000e-01,2.000000e-01,3.000000e-01}>>
  }

// CHECK-LABEL: func.func @stats(
// CHECK: [[A:%.*]] = "quantfork.stats"(%arg0) {{.*}}layerStats = dense<[-1.000000e+00, 2.000000e+00]> : tensor<2xf32>{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: [[B:%.*]] = "quantfork.stats"([[A]]) {{.*}}axisStats = dense<{{\[\[}}-1.000000e+00, 1.000000e+00], [-2.000000e+00, 2.000000e+00], [-3.000000e+00, 3.000000e+00]]> : tensor<3x2xf32>{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: return [[B]] :
  func.func @stats(%arg0: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %0 = "quantfork.stats"(%arg0) {layerStats = dense<[-1.000000e+00, 2.000000e+00]> : tensor<2xf32>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    %1 = "quantfork.stats"(%0) {axis = 1 : i64, axisStats = dense<[[-1.000000e+00, 1.000000e+00], [-2.000000e+00, 2.000000e+00], [-3.000000e+00, 3.000000e+00]]> : tensor<3x2xf32>, layerStats = dense<[-3.000000e+00, 3.000000e+00]> : tensor<2xf32>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    return %1 : tensor<2x3xf32>
  }

// CHECK-LABEL: func.func @fake_quant(
// CHECK: [[A:%.*]] = "quantfork.const_fake_quant"(%arg0) {{.*}}num_bits = 8 : i64{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: [[B:%.*]] = "quantfork.const_fake_quant_per_axis"([[A]]) {{.*}}axis = 1 : i64{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: return [[B]] :
  func.func @fake_quant(%arg0: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %0 = "quantfork.const_fake_quant"(%arg0) {max = 1.000000e+00 : f32, min = -1.000000e+00 : f32, narrow_range = false, num_bits = 8 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    %1 = "quantfork.const_fake_quant_per_axis"(%0) {axis = 1 : i64, is_signed = true, max = [1.000000e+00 : f32, 2.000000e+00 : f32, 3.000000e+00 : f32], min = [-1.000000e+00 : f32, -2.000000e+00 : f32, -3.000000e+00 : f32], num_bits = 8 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    return %1 : tensor<2x3xf32>
  }
}
