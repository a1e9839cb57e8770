// Layout kernels: Tile, Transpose, PadV2 and Slice for float32, as strided copies.
#include <algorithm>
#include <cstring>

#include "common.h"

namespace gan {
namespace {

constexpr int kMaxRank = 8;

bool ReadInts(const Napi::CallbackInfo& info, size_t i, int rank, int* v, const char* what) {
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      static_cast<int>(info[i].As<Napi::Int32Array>().ElementLength()) != rank)
    return Fail(info.Env(), what);
  std::memcpy(v, info[i].As<Napi::Int32Array>().Data(), sizeof(int) * rank);
  return true;
}

size_t Product(int rank, const int* d) {
  size_t n = 1;
  for (int i = 0; i < rank; i++) n *= d[i];
  return n;
}

void Strides(int rank, const int* shape, size_t* strides) {
  size_t s = 1;
  for (int d = rank - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
}

// Copies the box of `size` at `begin` in x (shape xs) to the box at `at` in out (shape os),
// innermost axis by memcpy.
void CopyBox(int d, int rank, const float* x, const size_t* sx, const int* begin, float* out, const size_t* so,
             const int* at, const int* size) {
  if (d == rank - 1) {
    std::memcpy(out + at[d], x + begin[d], sizeof(float) * size[d]);
    return;
  }
  for (int i = 0; i < size[d]; i++)
    CopyBox(d + 1, rank, x + (begin[d] + i) * sx[d], sx, begin, out + (at[d] + i) * so[d], so, at, size);
}

// tile(x, xShape, reps, out)
Napi::Value Tile(const Napi::CallbackInfo& info) {
  const int rank = static_cast<int>(Length(info, 1));
  int xs[kMaxRank], reps[kMaxRank], os[kMaxRank];
  bool ok = (rank >= 1 && rank <= kMaxRank) || Fail(info.Env(), "tile: bad rank");
  ok = ok && ReadInts(info, 1, rank, xs, "tile: xShape") && ReadInts(info, 2, rank, reps, "tile: reps");
  for (int d = 0; ok && d < rank; d++) os[d] = xs[d] * reps[d];
  const float* x = Arg<float>(info, 0, ok ? Product(rank, xs) : 0, &ok);
  float* out = Arg<float>(info, 3, ok ? Product(rank, os) : 0, &ok);
  if (!ok || Product(rank, os) == 0) return info.Env().Undefined();
  size_t sx[kMaxRank], so[kMaxRank];
  Strides(rank, xs, sx);
  Strides(rank, os, so);
  int zero[kMaxRank] = {0}, at[kMaxRank];
  // Each copy of x lands at (r0·xs0, r1·xs1, …).
  const size_t copies = Product(rank, reps);
  int r[kMaxRank] = {0};
  for (size_t c = 0; c < copies; c++) {
    for (int d = 0; d < rank; d++) at[d] = r[d] * xs[d];
    CopyBox(0, rank, x, sx, zero, out, so, at, xs);
    for (int d = rank - 1; d >= 0; d--) {
      if (++r[d] < reps[d]) break;
      r[d] = 0;
    }
  }
  return info.Env().Undefined();
}

// transpose(x, xShape, perm, out): out[i₀…] = x[i at perm]
Napi::Value Transpose(const Napi::CallbackInfo& info) {
  const int rank = static_cast<int>(Length(info, 1));
  int xs[kMaxRank], perm[kMaxRank], os[kMaxRank];
  bool ok = (rank >= 1 && rank <= kMaxRank) || Fail(info.Env(), "transpose: bad rank");
  ok = ok && ReadInts(info, 1, rank, xs, "transpose: xShape") && ReadInts(info, 2, rank, perm, "transpose: perm");
  for (int d = 0; ok && d < rank; d++) {
    if (perm[d] < 0 || perm[d] >= rank) ok = Fail(info.Env(), "transpose: bad perm");
    else os[d] = xs[perm[d]];
  }
  const size_t n = ok ? Product(rank, xs) : 0;
  const float* x = Arg<float>(info, 0, n, &ok);
  float* out = Arg<float>(info, 3, n, &ok);
  if (!ok || n == 0) return info.Env().Undefined();
  size_t sx[kMaxRank], step[kMaxRank];
  Strides(rank, xs, sx);
  for (int d = 0; d < rank; d++) step[d] = sx[perm[d]];  // x stride of each output axis
  int index[kMaxRank] = {0};
  size_t from = 0;
  const int inner = rank - 1;
  for (size_t o = 0; o < n; o += os[inner]) {
    for (int i = 0; i < os[inner]; i++) out[o + i] = x[from + i * step[inner]];
    for (int d = inner - 1; d >= 0; d--) {
      if (++index[d] < os[d]) {
        from += step[d];
        break;
      }
      from -= step[d] * (os[d] - 1);
      index[d] = 0;
    }
  }
  return info.Env().Undefined();
}

// pad(x, xShape, before, out, outShape, value): out = value, with x at `before`.
Napi::Value Pad(const Napi::CallbackInfo& info) {
  const int rank = static_cast<int>(Length(info, 1));
  int xs[kMaxRank], before[kMaxRank], os[kMaxRank];
  bool ok = (rank >= 1 && rank <= kMaxRank) || Fail(info.Env(), "pad: bad rank");
  ok = ok && ReadInts(info, 1, rank, xs, "pad: xShape") && ReadInts(info, 2, rank, before, "pad: before") &&
       ReadInts(info, 4, rank, os, "pad: outShape");
  for (int d = 0; ok && d < rank; d++)
    if (before[d] < 0 || before[d] + xs[d] > os[d]) ok = Fail(info.Env(), "pad: x does not fit");
  const float* x = Arg<float>(info, 0, ok ? Product(rank, xs) : 0, &ok);
  float* out = Arg<float>(info, 3, ok ? Product(rank, os) : 0, &ok);
  if (!ok) return info.Env().Undefined();
  std::fill(out, out + Product(rank, os), static_cast<float>(Number(info, 5)));
  if (Product(rank, xs) == 0) return info.Env().Undefined();
  size_t sx[kMaxRank], so[kMaxRank];
  Strides(rank, xs, sx);
  Strides(rank, os, so);
  int zero[kMaxRank] = {0};
  CopyBox(0, rank, x, sx, zero, out, so, before, xs);
  return info.Env().Undefined();
}

// slice(x, xShape, begin, size, out)
Napi::Value Slice(const Napi::CallbackInfo& info) {
  const int rank = static_cast<int>(Length(info, 1));
  int xs[kMaxRank], begin[kMaxRank], size[kMaxRank];
  bool ok = (rank >= 1 && rank <= kMaxRank) || Fail(info.Env(), "slice: bad rank");
  ok = ok && ReadInts(info, 1, rank, xs, "slice: xShape") && ReadInts(info, 2, rank, begin, "slice: begin") &&
       ReadInts(info, 3, rank, size, "slice: size");
  for (int d = 0; ok && d < rank; d++)
    if (begin[d] < 0 || size[d] < 0 || begin[d] + size[d] > xs[d]) ok = Fail(info.Env(), "slice: out of range");
  const float* x = Arg<float>(info, 0, ok ? Product(rank, xs) : 0, &ok);
  float* out = Arg<float>(info, 4, ok ? Product(rank, size) : 0, &ok);
  if (!ok || Product(rank, size) == 0) return info.Env().Undefined();
  size_t sx[kMaxRank], so[kMaxRank];
  Strides(rank, xs, sx);
  Strides(rank, size, so);
  int zero[kMaxRank] = {0};
  CopyBox(0, rank, x, sx, begin, out, so, zero, size);
  return info.Env().Undefined();
}

}  // namespace

void InitShape(Napi::Env env, Napi::Object exports) {
  exports.Set("tile", Napi::Function::New(env, Tile));
  exports.Set("transpose", Napi::Function::New(env, Transpose));
  exports.Set("pad", Napi::Function::New(env, Pad));
  exports.Set("slice", Napi::Function::New(env, Slice));
}

}  // namespace gan
