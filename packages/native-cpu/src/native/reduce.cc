// Reductions over any axes: sums accumulated in double (Sum, Mean), Max and Min.
#include <cmath>
#include <cstring>
#include <vector>

#include "common.h"

namespace gan {
namespace {

constexpr int kMaxRank = 8;

bool ReadDims(const Napi::CallbackInfo& info, size_t i, int rank, int* dims) {
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      static_cast<int>(info[i].As<Napi::Int32Array>().ElementLength()) != rank)
    return Fail(info.Env(), "shapes must be Int32Arrays of the input's rank");
  std::memcpy(dims, info[i].As<Napi::Int32Array>().Data(), sizeof(int) * rank);
  return true;
}

size_t Product(int rank, const int* d) {
  size_t n = 1;
  for (int i = 0; i < rank; i++) n *= d[i];
  return n;
}

// reduce(op, x, xShape, outShape, out, divisor): op 0 sum (÷ divisor: Mean), 1 max, 2 min over
// the dimensions where outShape (keepDims form) is 1 and xShape is not. x is walked in order;
// the output offset moves only along kept dimensions.
Napi::Value Reduce(const Napi::CallbackInfo& info) {
  const int op = Int(info, 0);
  const int rank = static_cast<int>(Length(info, 2));
  int xs[kMaxRank], os[kMaxRank];
  bool ok = (op >= 0 && op <= 2 && rank >= 1 && rank <= kMaxRank) || Fail(info.Env(), "reduce: bad op or rank");
  ok = ok && ReadDims(info, 2, rank, xs) && ReadDims(info, 3, rank, os);
  for (int d = 0; ok && d < rank; d++)
    if (os[d] != xs[d] && os[d] != 1) ok = Fail(info.Env(), "reduce: outShape must keep or reduce each axis");
  const float* x = Arg<float>(info, 1, ok ? Product(rank, xs) : 0, &ok);
  float* out = Arg<float>(info, 4, ok ? Product(rank, os) : 0, &ok);
  if (!ok) return info.Env().Undefined();
  const double divisor = Number(info, 5);
  size_t so[kMaxRank];  // output strides, 0 along reduced axes
  size_t stride = 1;
  for (int d = rank - 1; d >= 0; d--) {
    so[d] = os[d] == 1 && xs[d] != 1 ? 0 : stride;
    stride *= os[d];
  }
  const size_t nOut = Product(rank, os), total = Product(rank, xs), inner = xs[rank - 1];
  const bool innerReduced = so[rank - 1] == 0;
  std::vector<double> acc(op == 0 ? nOut : 0, 0.0);
  if (op != 0) std::fill(out, out + nOut, op == 1 ? -INFINITY : INFINITY);
  int index[kMaxRank] = {0};
  size_t o = 0;
  for (size_t done = 0; done < total; done += inner) {
    const float* v = x + done;
    if (op == 0) {
      if (innerReduced) {
        double s = 0;
        for (size_t i = 0; i < inner; i++) s += v[i];
        acc[o] += s;
      } else {
        for (size_t i = 0; i < inner; i++) acc[o + i] += v[i];
      }
    } else {
      // tfjs: a NaN wins (v > m is false for NaN, so it is taken explicitly).
      const bool max = op == 1;
      for (size_t i = 0; i < inner; i++) {
        float& m = out[o + (innerReduced ? 0 : i)];
        const float value = v[i];
        if (value != value || (max ? value > m : value < m)) m = value;
      }
    }
    for (int d = rank - 2; d >= 0; d--) {
      if (++index[d] < xs[d]) {
        o += so[d];
        break;
      }
      o -= so[d] * (xs[d] - 1);
      index[d] = 0;
    }
  }
  if (op == 0)
    for (size_t i = 0; i < nOut; i++) out[i] = static_cast<float>(acc[i] / divisor);
  return info.Env().Undefined();
}

}  // namespace

void InitReduce(Napi::Env env, Napi::Object exports) { exports.Set("reduce", Napi::Function::New(env, Reduce)); }

}  // namespace gan
