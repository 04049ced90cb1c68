// RUN: qopt %s --split-input-file --verify-diagnostics

func.func @f(%arg0: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{'func.call' op 'missing' does not reference a valid function}}
  %0 = call @missing(%arg0) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @g(%arg0: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{has 0 operands, but enclosing function (@g) returns 1}}
  return
}

// -----

module {
  func.func @dup() {
    return
  }
  // expected-error@-4 {{redefinition of symbol named 'dup'}}
  func.func @dup() {
    return
  }
}
