// Adam's update of one variable in one pass, with the float32 roundings of tfjs's AdamOptimizer
// (each op of its graph rounded to float32 in the same order), so the result is the same bits.
#include <cmath>

#include "common.h"

namespace gan {
namespace {

// adam(value, m, v, gradient, outValue, outM, outV, beta1, beta2, lr, epsilon, oneMinusAccBeta1,
// oneMinusAccBeta2): the new moments and value into the out arrays.
Napi::Value Adam(const Napi::CallbackInfo& info) {
  const size_t n = Length(info, 0);
  bool ok = true;
  const float* value = Arg<float>(info, 0, n, &ok);
  const float* m = Arg<float>(info, 1, n, &ok);
  const float* v = Arg<float>(info, 2, n, &ok);
  const float* g = Arg<float>(info, 3, n, &ok);
  float* outValue = Arg<float>(info, 4, n, &ok);
  float* outM = Arg<float>(info, 5, n, &ok);
  float* outV = Arg<float>(info, 6, n, &ok);
  if (!ok) return info.Env().Undefined();
  // The scalars as tfjs makes them: JavaScript numbers turned into float32 tensors.
  const double b1 = Number(info, 7), b2 = Number(info, 8), lr = Number(info, 9), eps = Number(info, 10);
  const float beta1 = static_cast<float>(b1), beta2 = static_cast<float>(b2);
  const float oneMinusBeta1 = static_cast<float>(1 - b1), oneMinusBeta2 = static_cast<float>(1 - b2);
  const float negLr = static_cast<float>(-lr), epsilon = static_cast<float>(eps);
  const float c1 = static_cast<float>(Number(info, 11)), c2 = static_cast<float>(Number(info, 12));
  ParallelFor(n, 1 << 15, [&](size_t s, size_t e) {
    for (size_t i = s; i < e; i++) {
      const float newM = m[i] * beta1 + g[i] * oneMinusBeta1;
      const float gg = g[i] * g[i];
      const float newV = v[i] * beta2 + gg * oneMinusBeta2;
      const float mHat = newM / c1;
      const float vHat = newV / c2;
      outM[i] = newM;
      outV[i] = newV;
      outValue[i] = (mHat / (std::sqrt(vHat) + epsilon)) * negLr + value[i];
    }
  });
  return info.Env().Undefined();
}

}  // namespace

void InitOptimizer(Napi::Env env, Napi::Object exports) { exports.Set("adam", Napi::Function::New(env, Adam)); }

}  // namespace gan
