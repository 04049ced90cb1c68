// qopt compare on a model against itself: every layer exact; the data comes from `qopt run`.
// RUN: qopt run %s --seed 3 --output %t.npy
// RUN: qopt compare %s %s --data %t.npy --sort order --csv %t.csv | filecheck %s
// RUN: cat %t.csv | filecheck %s --check-prefix=CSV
// RUN: not qopt compare %s %s 2>&1 | filecheck %s --check-prefix=ERR

func.func @main(%arg0: tensor<1x4xf32> loc("x")) -> tensor<1x4xf32> {
  %0 = "tfl.relu"(%arg0) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("block/relu")
  %1 = "tfl.tanh"(%0) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("block/relu;block/tanh")
  return %1 : tensor<1x4xf32>
}

// CHECK: reference {{.*}}compare.mlir; 1 sample(s) from {{.*}}.npy; kernels tflite
// CHECK: compare.mlir (2): 3 layer(s) compared, in execution order
// CHECK-NEXT: # layer op type elems mean err max|err| RMSE RMSE/s SQNR dB used clipped
// CHECK-NEXT: - ---
// CHECK-NEXT: 0 x input f32 4 0 0 0 - inf - -
// CHECK-NEXT: 1 block/relu tfl.relu f32
// CHECK-NEXT: 2 block/relu;block/tanh tfl.tanh f32 {{.*}} inf
// CHECK: outputs
// CHECK: compare.mlir (2) block/relu;block/tanh inf 0 0 1/1 (100%)

// CSV: model,order,name,test_name,op,kind,dtype,shape,elements,values,mean_error,{{.*}},sqnr_db,{{.*}},matched_by
// CSV-NEXT: {{.*}}compare.mlir (2),0,x,x,input,input,f32,1x4,4,4,0,0,0,0,,inf,{{.*}},input
// CSV-NEXT: {{.*}},1,block/relu,block/relu,tfl.relu,result,{{.*}},name
// CSV-NEXT: {{.*}},2,block/relu;block/tanh,block/relu;block/tanh,tfl.tanh,result,{{.*}},output

// ERR: error: required option '--data <path>' not specified
