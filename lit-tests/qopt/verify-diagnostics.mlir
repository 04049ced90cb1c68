// RUN: qopt %s --split-input-file --verify-diagnostics

func.func @bad_return(%arg0: tensor<4xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{type of return operand 0 doesn't match function result type}}
  return %arg0 : tensor<4xf32>
}

// -----

func.func @use_before_def(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{operand #0 does not dominate this use}}
  %0 = "tfl.relu"(%1) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = "tfl.relu"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @parse_error() {
  // expected-error@+1 {{use of undeclared SSA value name '%nope'}}
  "tfl.relu"(%nope) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// expected-error@+1 {{custom op 'tfl.relu' is unknown}}
tfl.relu
