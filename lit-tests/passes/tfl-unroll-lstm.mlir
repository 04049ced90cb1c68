// RUN: qopt %s --passes=tfl-unroll-lstm | filecheck %s
// RUN: qopt %s --passes='tfl-unroll-lstm{keep-state=false}' | filecheck %s --check-prefix=ARGS
// RUN: qopt %s --passes=unroll --mlir-print-debuginfo | filecheck %s --check-prefix=LOC
// RUN: not qopt %s --passes='tfl-unroll-lstm{max-steps=1}' 2>&1 | filecheck %s --check-prefix=ERR
// tfl-unroll-lstm on a 2-step LSTM and a 2-step RNN (batch 1, input depth 3, 2 units): per-step
// primitive ops, the state as resource variables (default) or as arguments/results
// (keep-state=false), per-step/gate locations, and the max-steps diagnostic.

module {
// CHECK-LABEL: func.func @lstm(%arg0: tensor<1x2x3xf32>) -> tensor<1x2x2xf32>
// CHECK-NOT: "tfl.unidirectional_sequence_lstm"
// CHECK: "tfl.call_once"() {init_subgraph_index = @lstm_unroll_state_init}
// CHECK: [[X:%[0-9]+]]:2 = "tfl.unpack"(%arg0) {axis = 1 : i32, num = 2 : i32}
// CHECK: [[HH:%[0-9]+]] = "tfl.var_handle"() {shared_name = "lstm/activation_state"}
// CHECK: [[H0:%[0-9]+]] = "tfl.read_variable"([[HH]]) : (tensor<!tf_type.resource>) -> tensor<1x2xf32>
// CHECK: [[CH:%[0-9]+]] = "tfl.var_handle"() {shared_name = "lstm/cell_state"}
// CHECK: [[C0:%[0-9]+]] = "tfl.read_variable"([[CH]])
// Step 0: input gate = logistic(fc(x0, W_i, b_i) + fc(h0, R_i)); each step has its own bias copy.
// CHECK: [[BI:%[0-9]+]] = "tfl.pseudo_const"() {tfl.unroll_step = 0 : i32, value = dense<1.000000e-01> : tensor<2xf32>}
// CHECK: [[XI:%[0-9]+]] = "tfl.fully_connected"([[X]]#0, [[W:%[0-9]+]], [[BI]])
// CHECK: [[RI:%[0-9]+]] = "tfl.fully_connected"([[H0]], [[R:%[0-9]+]], [[NONE:%[0-9]+]])
// CHECK: [[SI:%[0-9]+]] = "tfl.add"([[XI]], [[RI]])
// CHECK: [[I:%[0-9]+]] = "tfl.logistic"([[SI]])
// CHECK: [[F:%[0-9]+]] = "tfl.logistic"
// CHECK: [[G:%[0-9]+]] = "tfl.tanh"
// c1 = f * c0 + g * i
// CHECK: [[FC:%[0-9]+]] = "tfl.mul"([[F]], [[C0]])
// CHECK: [[GI:%[0-9]+]] = "tfl.mul"([[G]], [[I]])
// CHECK: [[C1:%[0-9]+]] = "tfl.add"([[FC]], [[GI]])
// h1 = o * tanh(c1)
// CHECK: [[O:%[0-9]+]] = "tfl.logistic"
// CHECK: [[TC:%[0-9]+]] = "tfl.tanh"([[C1]])
// CHECK: [[H1:%[0-9]+]] = "tfl.mul"([[O]], [[TC]])
// Step 1 reads x1, h1 and the shared weights, with the step-1 bias copy.
// CHECK: [[BI1:%[0-9]+]] = "tfl.pseudo_const"() {tfl.unroll_step = 1 : i32, value = dense<1.000000e-01> : tensor<2xf32>}
// CHECK: "tfl.fully_connected"([[X]]#1, [[W]], [[BI1]])
// CHECK: "tfl.fully_connected"([[H1]], [[R]], [[NONE]])
// CHECK: "tfl.tanh"
// CHECK: [[TC2:%[0-9]+]] = "tfl.tanh"([[C2:%[0-9]+]])
// CHECK-NEXT: [[H2:%[0-9]+]] = "tfl.mul"({{.*}}, [[TC2]])
// The final state is written back; the outputs are packed along time.
// CHECK: "tfl.assign_variable"([[HH]], [[H2]])
// CHECK: "tfl.assign_variable"([[CH]], [[C2]])
// CHECK: [[Y:%[0-9]+]] = "tfl.pack"([[H1]], [[H2]]) {axis = 1 : i32, values_count = 2 : i32}
// CHECK: return [[Y]] : tensor<1x2x2xf32>
// CHECK-LABEL: func.func private @lstm_unroll_state_init() {
// CHECK: [[IH:%[0-9]+]] = "tfl.var_handle"() {shared_name = "lstm/activation_state"}
// CHECK: [[IV:%[0-9]+]] = "tfl.pseudo_const"() {value = dense<0.000000e+00> : tensor<1x2xf32>}
// CHECK: "tfl.assign_variable"([[IH]], [[IV]])
// CHECK: "tfl.var_handle"() {shared_name = "lstm/cell_state"}
// CHECK: "tfl.assign_variable"
// CHECK: return

// ARGS-LABEL: func.func @lstm(%arg0: tensor<1x2x3xf32>, %arg1: tensor<1x2xf32>, %arg2: tensor<1x2xf32>) -> (tensor<1x2x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>)
// ARGS-NOT: "tfl.var_handle"
// ARGS-NOT: "tfl.call_once"
// ARGS: "tfl.fully_connected"(%arg1,
// ARGS: "tfl.mul"({{.*}}, %arg2)
// ARGS: [[T1:%[0-9]+]] = "tfl.tanh"(
// ARGS-NEXT: [[H1:%[0-9]+]] = "tfl.mul"({{.*}}, [[T1]])
// ARGS: "tfl.fully_connected"([[H1]],
// ARGS: "tfl.tanh"
// ARGS: [[T2:%[0-9]+]] = "tfl.tanh"([[C2:%[0-9]+]])
// ARGS-NEXT: [[H2:%[0-9]+]] = "tfl.mul"({{.*}}, [[T2]])
// ARGS: [[Y:%[0-9]+]] = "tfl.pack"([[H1]], [[H2]])
// ARGS: return [[Y]], [[H2]], [[C2]] : tensor<1x2x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>
  func.func @lstm(%arg0: tensor<1x2x3xf32>) -> tensor<1x2x2xf32> {
    %w = "tfl.pseudo_const"() {value = dense<5.000000e-01> : tensor<2x3xf32>} : () -> tensor<2x3xf32>
    %r = "tfl.pseudo_const"() {value = dense<2.500000e-01> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
    %b = "tfl.pseudo_const"() {value = dense<1.000000e-01> : tensor<2xf32>} : () -> tensor<2xf32>
    %h = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.000000e+00> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
    %c = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.000000e+00> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
    %n = "tfl.no_value"() {value} : () -> none
    %0 = "tfl.unidirectional_sequence_lstm"(%arg0, %w, %w, %w, %w, %r, %r, %r, %r, %n, %n, %n, %b, %b, %b, %b, %n, %n, %h, %c, %n, %n, %n, %n) {cell_clip = 0.000000e+00 : f32, fused_activation_function = "TANH", proj_clip = 0.000000e+00 : f32, time_major = false} : (tensor<1x2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, none, none, none, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, none, none, tensor<1x2xf32>, tensor<1x2xf32>, none, none, none, none) -> tensor<1x2x2xf32> loc("lstm")
    return %0 : tensor<1x2x2xf32>
  }

// CHECK-LABEL: func.func @rnn(%arg0: tensor<1x2x3xf32>) -> tensor<1x2x2xf32>
// CHECK: "tfl.call_once"() {init_subgraph_index = @rnn_unroll_state_init}
// CHECK: [[X:%[0-9]+]]:2 = "tfl.unpack"(%arg0)
// CHECK: [[HH:%[0-9]+]] = "tfl.var_handle"() {shared_name = "rnn/hidden_state"}
// CHECK: [[H0:%[0-9]+]] = "tfl.read_variable"([[HH]])
// CHECK: [[XW:%[0-9]+]] = "tfl.fully_connected"([[X]]#0, {{.*}})
// CHECK: [[HR:%[0-9]+]] = "tfl.fully_connected"([[H0]], {{.*}})
// CHECK: [[S:%[0-9]+]] = "tfl.add"([[XW]], [[HR]])
// CHECK: [[H1:%[0-9]+]] = "tfl.tanh"([[S]])
// CHECK: "tfl.fully_connected"([[H1]],
// CHECK: [[H2:%[0-9]+]] = "tfl.tanh"
// CHECK: "tfl.assign_variable"([[HH]], [[H2]])
// CHECK: "tfl.pack"([[H1]], [[H2]])
// CHECK-LABEL: func.func private @rnn_unroll_state_init()

// ARGS-LABEL: func.func @rnn(%arg0: tensor<1x2x3xf32>, %arg1: tensor<1x2xf32>) -> (tensor<1x2x2xf32>, tensor<1x2xf32>)
// ARGS: "tfl.tanh"
// ARGS: [[H2:%[0-9]+]] = "tfl.tanh"
// ARGS: return {{.*}}, [[H2]] :
  func.func @rnn(%arg0: tensor<1x2x3xf32>) -> tensor<1x2x2xf32> {
    %w = "tfl.pseudo_const"() {value = dense<5.000000e-01> : tensor<2x3xf32>} : () -> tensor<2x3xf32>
    %r = "tfl.pseudo_const"() {value = dense<2.500000e-01> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
    %b = "tfl.pseudo_const"() {value = dense<1.000000e-01> : tensor<2xf32>} : () -> tensor<2xf32>
    %h = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.000000e+00> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
    %0 = "tfl.unidirectional_sequence_rnn"(%arg0, %w, %r, %b, %h) {fused_activation_function = "TANH", time_major = false} : (tensor<1x2x3xf32>, tensor<2x3xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<1x2xf32>) -> tensor<1x2x2xf32> loc("rnn")
    return %0 : tensor<1x2x2xf32>
  }
}

// Locations: <op loc>/step<k>/<gate>.
// LOC: "tfl.logistic"({{.*}} loc("lstm/step0/input_gate")
// LOC: "tfl.logistic"({{.*}} loc("lstm/step0/forget_gate")
// LOC: "tfl.tanh"({{.*}} loc("lstm/step0/cell_gate")
// LOC: "tfl.add"({{.*}} loc("lstm/step0/cell_state")
// LOC: "tfl.logistic"({{.*}} loc("lstm/step0/output_gate")
// LOC: "tfl.mul"({{.*}} loc("lstm/step0/output")
// LOC: "tfl.logistic"({{.*}} loc("lstm/step1/forget_gate")
// LOC: "tfl.pack"({{.*}} loc("lstm/output")
// LOC: "tfl.tanh"({{.*}} loc("rnn/step1/output")

// ERR: loc("lstm"): error: cannot unroll 'tfl.unidirectional_sequence_lstm': the sequence has 2 time steps, more than max-steps=1 (0 = no limit)
// ERR: loc("rnn"): error: cannot unroll 'tfl.unidirectional_sequence_rnn': the sequence has 2 time steps, more than max-steps=1 (0 = no limit)
