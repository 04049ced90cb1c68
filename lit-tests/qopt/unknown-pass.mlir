// RUN: not qopt %s --passes=cse,canonicalise 2>&1 | filecheck %s
// CHECK: error: unknown pass 'canonicalise'; did you mean 'canonicalize'?
// RUN: not qopt %s --passes='cse{nope=1}' 2>&1 | filecheck %s --check-prefix=OPT
// OPT: error: {{.*}}nope
func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  return %arg0 : tensor<4xf32>
}
