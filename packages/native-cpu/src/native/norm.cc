// Batch normalisation's forward pass (tfjs's FusedBatchNorm): each parameter broadcast by index
// modulo its length, as tfjs-backend-cpu does (per-channel parameters over NHWC data).
#include <cmath>

#include "common.h"

namespace gan {
namespace {

// batchNorm(x, mean, variance, offset, scale, out, epsilon): out = offset + (x − mean) · scale /
// √(variance + ε). offset and scale may be empty (0 and 1).
Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  const size_t n = Length(info, 0);
  const size_t nm = Length(info, 1), nv = Length(info, 2), no = Length(info, 3), ns = Length(info, 4);
  bool ok = (nm > 0 && nv > 0) || Fail(info.Env(), "batchNorm: mean and variance are required");
  const float* x = Arg<float>(info, 0, n, &ok);
  const float* mean = Arg<float>(info, 1, nm, &ok);
  const float* variance = Arg<float>(info, 2, nv, &ok);
  const float* offset = no ? Arg<float>(info, 3, no, &ok) : nullptr;
  const float* scale = ns ? Arg<float>(info, 4, ns, &ok) : nullptr;
  float* out = Arg<float>(info, 5, n, &ok);
  if (!ok) return info.Env().Undefined();
  const double epsilon = Number(info, 6);
  ParallelFor(n, 1 << 15, [&](size_t b, size_t e) {
    size_t im = b % nm, iv = b % nv, io = no ? b % no : 0, is = ns ? b % ns : 0;
    for (size_t i = b; i < e; i++) {
      // In double, then rounded once, as tfjs computes it.
      const double s = scale ? scale[is] : 1.0;
      const double o = offset ? offset[io] : 0.0;
      out[i] = static_cast<float>(o + (static_cast<double>(x[i]) - mean[im]) * s / std::sqrt(variance[iv] + epsilon));
      if (++im == nm) im = 0;
      if (++iv == nv) iv = 0;
      if (no && ++io == no) io = 0;
      if (ns && ++is == ns) is = 0;
    }
  });
  return info.Env().Undefined();
}

}  // namespace

void InitNorm(Napi::Env env, Napi::Object exports) { exports.Set("batchNorm", Napi::Function::New(env, BatchNorm)); }

}  // namespace gan
