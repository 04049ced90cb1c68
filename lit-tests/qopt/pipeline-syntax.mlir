// Both pipeline syntaxes give the same result.
// RUN: qopt %s --passes=cse,dce | filecheck %s
// RUN: qopt %s --pass-pipeline='builtin.module(func.func(cse,dce))' | filecheck %s
// RUN: qopt %s --passes='canonicalize{max-iterations=3 top-down=false},cse' | filecheck %s

// CHECK-LABEL: func.func @f
// CHECK-COUNT-1: "tfl.relu"
// CHECK-NOT: "tfl.relu"
func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "tfl.relu"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = "tfl.relu"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
  %2 = "tfl.add"(%0, %1) {fused_activation_function = "NONE"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}
