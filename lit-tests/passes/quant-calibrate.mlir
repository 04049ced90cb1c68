// The calibration data: 4 samples of x (shape [1, 3]) written by running a constant function.
// RUN: echo 'func.func @main() -> tensor<4x1x3xf32> { %c = "tfl.pseudo_const"() {value = dense<[[[1.0, 2.0, 3.0]], [[-1.0, 0.0, 1.0]], [[0.5, -2.0, 4.0]], [[0.0, 0.0, 0.0]]]> : tensor<4x1x3xf32>} : () -> tensor<4x1x3xf32>  return %c : tensor<4x1x3xf32> }' > %t.data.mlir
// RUN: qopt run %t.data.mlir --output %t.npy
// RUN: qopt %s --passes='func.func(quant-insert-calibration),quant-calibrate{report=2}' --calibration-data=%t.npy 2>&1 | filecheck %s
// RUN: qopt %s --passes='func.func(quant-insert-calibration),quant-calibrate{method=moving-average averaging-constant=0.5 report=0}' --calibration-data=%t.npy | filecheck %s --check-prefix=EMA
// RUN: qopt %s --passes='func.func(quant-insert-calibration),quant-calibrate{method=kl num-bins=64 report=0 data=%t.npy}' | filecheck %s --check-prefix=KL
// RUN: not qopt %s --passes='func.func(quant-insert-calibration),quant-calibrate' 2>&1 | filecheck %s --check-prefix=NODATA

// fc = W x + b over the samples: [0.75, -1.5], [-0.25, -3.5], [4.75, -3.5], [0.25, -0.5].
// CHECK-LABEL: func.func @main(
// CHECK-NEXT:    %[[X:.*]] = "quantfork.stats"(%arg0) {layerStats = dense<[-2.000000e+00, 4.000000e+00]> : tensor<2xf32>, qopt.calibration = "minmax", qopt.observed = dense<[-2.000000e+00, 4.000000e+00]> : tensor<2xf32>}
// CHECK:         %[[FC:.*]] = "tfl.fully_connected"(%[[X]],
// CHECK-NEXT:    %[[FCS:.*]] = "quantfork.stats"(%[[FC]]) {layerStats = dense<[-3.500000e+00, 4.750000e+00]> : tensor<2xf32>
// CHECK-NEXT:    %[[R:.*]] = "tfl.relu"(%[[FCS]])
// CHECK-NEXT:    %[[RS:.*]] = "quantfork.stats"(%[[R]]) {layerStats = dense<[0.000000e+00, 4.750000e+00]> : tensor<2xf32>
// CHECK-NEXT:    %[[T:.*]] = "tfl.tanh"(%[[FCS]])
// CHECK-NEXT:    return %[[RS]], %[[T]] :
// The report (stderr, after the IR): the two widest ranges and a summary.
// CHECK:       remark: quant-calibrate: fc: [-3.5, 4.75]
// CHECK-NEXT:  remark: quant-calibrate: x: [-2, 4]
// CHECK-NEXT:  remark: quant-calibrate: 3 range(s) from 4 sample(s) of {{.*}}.npy (minmax)

// x's batch (min, max) = (1, 3), (-1, 1), (-2, 4), (0, 0): m = 1, 0, -1, -0.5 and M = 3, 2, 3, 1.5.
// EMA: "quantfork.stats"(%arg0) {layerStats = dense<[-5.000000e-01, 1.500000e+00]> : tensor<2xf32>, qopt.calibration = "moving-average", qopt.observed = dense<[-2.000000e+00, 4.000000e+00]> : tensor<2xf32>}

// KL: "quantfork.stats"(%arg0) {layerStats = dense<{{.*}}> : tensor<2xf32>, qopt.calibration = "kl", qopt.observed = dense<[-2.000000e+00, 4.000000e+00]> : tensor<2xf32>}

// NODATA: error: quant-calibrate: no calibration data (pass --calibration-data=FILE or data=FILE)

func.func @main(%arg0: tensor<1x3xf32> loc("x")) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = "tfl.pseudo_const"() {value = dense<[[1.0, -1.0, 0.5], [2.0, 0.0, -1.0]]> : tensor<2x3xf32>} : () -> tensor<2x3xf32>
  %b = "tfl.pseudo_const"() {value = dense<[0.25, -0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %fc = "tfl.fully_connected"(%arg0, %w, %b) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc")
  %relu = "tfl.relu"(%fc) : (tensor<1x2xf32>) -> tensor<1x2xf32> loc("relu")
  %t = "tfl.tanh"(%fc) : (tensor<1x2xf32>) -> tensor<1x2xf32> loc("tanh")
  return %relu, %t : tensor<1x2xf32>, tensor<1x2xf32>
}
