// @gan/native-cpu: the inner loops of tfjs cpu kernels in C++ (the matrix products over OpenBLAS,
// linked in). Every function works in place on the caller's typed arrays (tfjs cpu tensors are
// plain typed arrays, so nothing is copied) and checks sizes before touching memory. The
// functions live in conv.cc, elementwise.cc, reduce.cc, shape.cc, norm.cc and optimizer.cc.
#ifdef GAN_BLAS_ACCELERATE
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
extern "C" {
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
}
#endif

#include "common.h"
#include "ops.h"

namespace gan {
namespace {

// setThreads(n): the pool's threads (n ≤ 0: as many as OpenBLAS would use, the cores); returns
// the count in force. OpenBLAS itself always runs single-threaded: large products are split
// over the pool (conv.cc's Gemm), whose threads sleep between calls instead of spinning.
Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  const int n = Int(info, 0);
#ifdef GAN_BLAS_ACCELERATE
  SetPoolThreads(n > 0 ? n : 1);
#else
  if (n > 0) SetPoolThreads(n);
  else if (PoolThreads() == 1) SetPoolThreads(openblas_get_num_threads());
  openblas_set_num_threads(1);
#endif
  return Napi::Number::New(info.Env(), PoolThreads());
}

Napi::Value Config(const Napi::CallbackInfo& info) {
#ifdef GAN_BLAS_ACCELERATE
  return Napi::String::New(info.Env(), "Accelerate.framework");
#else
  return Napi::String::New(info.Env(), openblas_get_config());
#endif
}

template <typename E>
Napi::Object Codes(Napi::Env env, std::initializer_list<std::pair<const char*, E>> names) {
  Napi::Object o = Napi::Object::New(env);
  for (const auto& [name, code] : names) o.Set(name, static_cast<int>(code));
  return o;
}

// opCodes(): every op enum by name, so the JavaScript side can check its numbers.
Napi::Value OpCodes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object codes = Napi::Object::New(env);
  codes.Set("unary", Codes<Unary>(env, {{"relu", Unary::kRelu}, {"relu6", Unary::kRelu6}, {"leakyRelu", Unary::kLeakyRelu},
                                        {"elu", Unary::kElu}, {"selu", Unary::kSelu}, {"sigmoid", Unary::kSigmoid},
                                        {"tanh", Unary::kTanh}, {"exp", Unary::kExp}, {"log", Unary::kLog},
                                        {"sqrt", Unary::kSqrt}, {"rsqrt", Unary::kRsqrt}, {"square", Unary::kSquare},
                                        {"abs", Unary::kAbs}, {"neg", Unary::kNeg}, {"reciprocal", Unary::kReciprocal},
                                        {"softplus", Unary::kSoftplus}, {"step", Unary::kStep}, {"clip", Unary::kClip}}));
  codes.Set("binary", Codes<Binary>(env, {{"add", Binary::kAdd}, {"sub", Binary::kSub}, {"mul", Binary::kMul},
                                          {"div", Binary::kDiv}, {"max", Binary::kMax}, {"min", Binary::kMin},
                                          {"pow", Binary::kPow}, {"squaredDifference", Binary::kSquaredDifference}}));
  codes.Set("compare", Codes<Compare>(env, {{"greater", Compare::kGreater}, {"greaterEqual", Compare::kGreaterEqual},
                                            {"less", Compare::kLess}, {"lessEqual", Compare::kLessEqual},
                                            {"equal", Compare::kEqual}, {"notEqual", Compare::kNotEqual},
                                            {"logicalAnd", Compare::kLogicalAnd}, {"logicalOr", Compare::kLogicalOr}}));
  codes.Set("grad", Codes<Grad>(env, {{"leakyRelu", Grad::kLeakyRelu}, {"relu", Grad::kRelu}, {"tanh", Grad::kTanh},
                                      {"sigmoid", Grad::kSigmoid}}));
  return codes;
}

}  // namespace
}  // namespace gan

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  using namespace gan;
  InitConv(env, exports);
  InitElementwise(env, exports);
  InitReduce(env, exports);
  InitShape(env, exports);
  InitNorm(env, exports);
  InitOptimizer(env, exports);
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("config", Napi::Function::New(env, Config));
  exports.Set("opCodes", Napi::Function::New(env, OpCodes));
  return exports;
}

NODE_API_MODULE(gan_native_cpu, Init)
