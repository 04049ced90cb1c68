// RUN: qopt %s --passes=cse,dce --print-ir-after-all 2>&1 >/dev/null | filecheck %s
// RUN: qopt %s --passes=cse,dce --print-ir-after=dce 2>&1 >/dev/null | filecheck %s --check-prefix=ONLY
// RUN: qopt %s --passes=cse,dce --timing 2>&1 >/dev/null | filecheck %s --check-prefix=TIME

// CHECK: IR after 'cse'
// CHECK: IR after 'dce'
// ONLY-NOT: IR after 'cse'
// ONLY: IR after 'dce'
// TIME: cse
// TIME: dce
func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "tfl.relu"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
  return %arg0 : tensor<4xf32>
}
