// Element-wise kernels: unary maths, binary arithmetic and comparisons (same shape, a scalar, or
// NumPy broadcasting), select, and the fused activation gradients. Semantics follow
// tfjs-backend-cpu's JavaScript kernels (NaN in, NaN out; comparisons with NaN are false).
#include <array>
#include <cmath>
#include <cstring>
#include <utility>

#include "common.h"
#include "ops.h"

namespace gan {
namespace {

constexpr size_t kGrain = 1 << 17;  // elements per thread before a loop is split
constexpr int kMaxRank = 8;

// One loop per op, so the compiler vectorises each; `op` is fixed for the whole call.
template <Unary kOp>
void UnaryLoop(const float* x, float* y, size_t n, double alpha, double beta) {
  ParallelFor(n, kGrain, [&](size_t b, size_t e) {
    for (size_t i = b; i < e; i++) y[i] = UnaryOp(kOp, x[i], alpha, beta);
  });
}

using UnaryFn = void (*)(const float*, float*, size_t, double, double);
template <int... I>
constexpr auto UnaryTable(std::integer_sequence<int, I...>) {
  return std::array<UnaryFn, sizeof...(I)>{&UnaryLoop<static_cast<Unary>(I)>...};
}
constexpr auto kUnary = UnaryTable(std::make_integer_sequence<int, static_cast<int>(Unary::kCount)>{});

// unary(op, x, y, alpha, beta)
Napi::Value UnaryFunc(const Napi::CallbackInfo& info) {
  const int op = Int(info, 0);
  bool ok = (op >= 0 && op < static_cast<int>(Unary::kCount)) || Fail(info.Env(), "unary: bad op");
  const size_t n = Length(info, 2);
  const float* x = Arg<float>(info, 1, n, &ok);
  float* y = Arg<float>(info, 2, n, &ok);
  if (ok) kUnary[op](x, y, n, Number(info, 3), Number(info, 4));
  return info.Env().Undefined();
}

template <typename T>
inline T BinaryOp(Binary op, T a, T b) {
  switch (op) {
    case Binary::kAdd: return a + b;
    case Binary::kSub: return a - b;
    case Binary::kMul: return a * b;
    case Binary::kDiv: return a / b;
    case Binary::kMax: return (a != a || b != b) ? NAN : (a > b ? a : b);
    case Binary::kMin: return (a != a || b != b) ? NAN : (a < b ? a : b);
    case Binary::kPow: return std::pow(a, b);
    case Binary::kSquaredDifference: { const T d = a - b; return d * d; }
    default: return a;
  }
}

inline uint8_t CompareOp(Compare op, float a, float b) {
  switch (op) {
    case Compare::kGreater: return a > b;
    case Compare::kGreaterEqual: return a >= b;
    case Compare::kLess: return a < b;
    case Compare::kLessEqual: return a <= b;
    case Compare::kEqual: return a == b;
    case Compare::kNotEqual: return a != b;
    case Compare::kLogicalAnd: return a != 0 && b != 0;
    case Compare::kLogicalOr: return a != 0 || b != 0;
    default: return 0;
  }
}

// Row-major strides of `shape`, 0 where `shape` is 1 and `out` is not (broadcasting).
void BroadcastStrides(int rank, const int* shape, const int* out, size_t* strides) {
  size_t s = 1;
  for (int d = rank - 1; d >= 0; d--) {
    strides[d] = shape[d] == 1 && out[d] != 1 ? 0 : s;
    s *= shape[d];
  }
}

size_t Product(int rank, const int* dims) {
  size_t n = 1;
  for (int d = 0; d < rank; d++) n *= dims[d];
  return n;
}

// Merges adjacent dimensions that both inputs walk contiguously (or both broadcast), so that
// [n,1,1,1] × [n,h,w,c] runs as [n,1] × [n,h·w·c]: long inner runs instead of runs of c.
int Coalesce(int rank, int* out, size_t* sa, size_t* sb) {
  int r = 0;
  for (int d = 0; d < rank; d++) {
    if (r > 0 && sa[r - 1] == sa[d] * out[d] && sb[r - 1] == sb[d] * out[d]) {
      out[r - 1] *= out[d];
      sa[r - 1] = sa[d];
      sb[r - 1] = sb[d];
    } else if (out[d] != 1 || rank == 1) {
      out[r] = out[d];
      sa[r] = sa[d];
      sb[r] = sb[d];
      r++;
    }
  }
  if (r == 0) {
    out[0] = 1;
    sa[0] = sb[0] = 0;
    r = 1;
  }
  return r;
}

// Visits every output position in row-major order with the offsets of both inputs, the
// innermost dimension as one run (start offsets, run length, inner strides).
template <typename F>
void ForEachRun(int rank, const int* out, const size_t* sa, const size_t* sb, F run) {
  int index[kMaxRank] = {0};
  const int inner = rank - 1;
  const size_t total = Product(rank, out), len = out[inner];
  size_t oa = 0, ob = 0;
  for (size_t done = 0; done < total; done += len) {
    run(done, oa, ob, len, sa[inner], sb[inner]);
    for (int d = inner - 1; d >= 0; d--) {
      if (++index[d] < out[d]) {
        oa += sa[d];
        ob += sb[d];
        break;
      }
      oa -= sa[d] * (out[d] - 1);
      ob -= sb[d] * (out[d] - 1);
      index[d] = 0;
    }
  }
}

bool ReadShape(const Napi::CallbackInfo& info, size_t i, int rank, int* dims) {
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      static_cast<int>(info[i].As<Napi::Int32Array>().ElementLength()) != rank)
    return Fail(info.Env(), "shapes must be Int32Arrays of the output's rank");
  std::memcpy(dims, info[i].As<Napi::Int32Array>().Data(), sizeof(int) * rank);
  return true;
}

// The three layouts' entry points for one (In, Out, op table) combination:
//   same(op, a, b, out) · scalar(op, a, value, out, scalarFirst) ·
//   broadcast(op, a, aShape, b, bShape, out, outShape)
// Each op gets its own instantiation (the op a compile-time constant), so the loops inline it.
template <typename In, typename Out, typename OpEnum, Out (*Apply)(OpEnum, In, In)>
struct Entry {
  // Calls g with the op's function (a captureless lambda per op) when `op` is valid.
  template <typename G>
  static bool Dispatch(int op, G g) {
    return DispatchImpl(op, g, std::make_integer_sequence<int, static_cast<int>(OpEnum::kCount)>{});
  }
  template <typename G, int... I>
  static bool DispatchImpl(int op, G g, std::integer_sequence<int, I...>) {
    bool found = false;
    ((op == I ? (g([](In a, In b) { return Apply(static_cast<OpEnum>(I), a, b); }), found = true) : false), ...);
    return found;
  }

  static Napi::Value Same(const Napi::CallbackInfo& info) {
    const size_t n = Length(info, 3);
    bool ok = true;
    const In* a = Arg<In>(info, 1, n, &ok);
    const In* b = Arg<In>(info, 2, n, &ok);
    Out* out = Arg<Out>(info, 3, n, &ok);
    if (ok && !Dispatch(Int(info, 0), [&](auto f) {
          ParallelFor(n, kGrain, [&](size_t s, size_t e) {
            for (size_t i = s; i < e; i++) out[i] = f(a[i], b[i]);
          });
        }))
      Fail(info.Env(), "bad op");
    return info.Env().Undefined();
  }

  static Napi::Value Scalar(const Napi::CallbackInfo& info) {
    const size_t n = Length(info, 3);
    bool ok = true;
    const In* a = Arg<In>(info, 1, n, &ok);
    Out* out = Arg<Out>(info, 3, n, &ok);
    const In value = static_cast<In>(Number(info, 2));
    const bool first = info.Length() > 4 && info[4].ToBoolean();
    if (ok && !Dispatch(Int(info, 0), [&](auto f) {
          ParallelFor(n, kGrain, [&](size_t s, size_t e) {
            if (first)
              for (size_t i = s; i < e; i++) out[i] = f(value, a[i]);
            else
              for (size_t i = s; i < e; i++) out[i] = f(a[i], value);
          });
        }))
      Fail(info.Env(), "bad op");
    return info.Env().Undefined();
  }

  static Napi::Value Broadcast(const Napi::CallbackInfo& info) {
    const int rank = static_cast<int>(Length(info, 6));
    int as[kMaxRank], bs[kMaxRank], os[kMaxRank];
    bool ok = (rank >= 1 && rank <= kMaxRank) || Fail(info.Env(), "broadcast: bad rank");
    ok = ok && ReadShape(info, 2, rank, as) && ReadShape(info, 4, rank, bs) && ReadShape(info, 6, rank, os);
    for (int d = 0; ok && d < rank; d++)
      if ((as[d] != os[d] && as[d] != 1) || (bs[d] != os[d] && bs[d] != 1))
        ok = Fail(info.Env(), "broadcast: shapes do not broadcast");
    const In* a = Arg<In>(info, 1, ok ? Product(rank, as) : 0, &ok);
    const In* b = Arg<In>(info, 3, ok ? Product(rank, bs) : 0, &ok);
    Out* out = Arg<Out>(info, 5, ok ? Product(rank, os) : 0, &ok);
    if (!ok || Product(rank, os) == 0) return info.Env().Undefined();
    if (!Dispatch(Int(info, 0), [&](auto f) { BroadcastLoop(a, as, b, bs, out, os, rank, f); }))
      Fail(info.Env(), "bad op");
    return info.Env().Undefined();
  }

  template <typename F>
  static void BroadcastLoop(const In* a, const int* as, const In* b, const int* bs, Out* out, const int* os,
                        int rank, F f) {
    size_t sa[kMaxRank], sb[kMaxRank];
    BroadcastStrides(rank, as, os, sa);
    BroadcastStrides(rank, bs, os, sb);
    int shape[kMaxRank];
    std::memcpy(shape, os, sizeof(int) * rank);
    const int r = Coalesce(rank, shape, sa, sb);
    ForEachRun(r, shape, sa, sb, [&](size_t o, size_t ia, size_t ib, size_t len, size_t da, size_t db) {
      Out* y = out + o;
      const In* x1 = a + ia;
      const In* x2 = b + ib;
      if (da == 1 && db == 1)
        for (size_t i = 0; i < len; i++) y[i] = f(x1[i], x2[i]);
      else if (da == 1 && db == 0)
        for (size_t i = 0; i < len; i++) y[i] = f(x1[i], x2[0]);
      else if (da == 0 && db == 1)
        for (size_t i = 0; i < len; i++) y[i] = f(x1[0], x2[i]);
      else
        for (size_t i = 0; i < len; i++) y[i] = f(x1[i * da], x2[i * db]);
    });
  }
};

float ArithmeticF(Binary op, float a, float b) { return BinaryOp<float>(op, a, b); }
uint8_t CompareF(Compare op, float a, float b) { return CompareOp(op, a, b); }
uint8_t CompareU8(Compare op, uint8_t a, uint8_t b) { return CompareOp(op, a, b); }

using Arithmetic = Entry<float, float, Binary, &ArithmeticF>;
using Comparison = Entry<float, uint8_t, Compare, &CompareF>;
using Logical = Entry<uint8_t, uint8_t, Compare, &CompareU8>;

// logicalNot(x, out): uint8 → uint8.
Napi::Value LogicalNot(const Napi::CallbackInfo& info) {
  const size_t n = Length(info, 1);
  bool ok = true;
  const uint8_t* x = Arg<uint8_t>(info, 0, n, &ok);
  uint8_t* y = Arg<uint8_t>(info, 1, n, &ok);
  if (ok)
    for (size_t i = 0; i < n; i++) y[i] = !x[i];
  return info.Env().Undefined();
}

// select(cond, t, e, out, inner): out = cond ? t : e, with cond one value per `inner` elements
// (1 when it has the output's shape; tfjs also allows a rank-1 condition over the first axis).
Napi::Value Select(const Napi::CallbackInfo& info) {
  const size_t n = Length(info, 3);
  const size_t inner = static_cast<size_t>(Int(info, 4));
  bool ok = (inner >= 1 && n % inner == 0) || Fail(info.Env(), "select: bad inner size");
  const uint8_t* c = Arg<uint8_t>(info, 0, ok ? n / inner : 0, &ok);
  const float* t = Arg<float>(info, 1, n, &ok);
  const float* e = Arg<float>(info, 2, n, &ok);
  float* y = Arg<float>(info, 3, n, &ok);
  if (!ok) return info.Env().Undefined();
  ParallelFor(n, kGrain, [&](size_t s, size_t end) {
    if (inner == 1)
      for (size_t i = s; i < end; i++) y[i] = c[i] ? t[i] : e[i];
    else
      for (size_t i = s; i < end; i++) y[i] = c[i / inner] ? t[i] : e[i];
  });
  return info.Env().Undefined();
}

// grad(op, dy, v, out, alpha): an activation's gradient in one pass, with tfjs's formulas
// (and so its roundings): v is the input x (leakyRelu, relu) or the output y (tanh, sigmoid).
Napi::Value GradFunc(const Napi::CallbackInfo& info) {
  const int op = Int(info, 0);
  const size_t n = Length(info, 3);
  bool ok = (op >= 0 && op < static_cast<int>(Grad::kCount)) || Fail(info.Env(), "grad: bad op");
  const float* dy = Arg<float>(info, 1, n, &ok);
  const float* v = Arg<float>(info, 2, n, &ok);
  float* out = Arg<float>(info, 3, n, &ok);
  const float alpha = static_cast<float>(Number(info, 4));
  if (!ok) return info.Env().Undefined();
  ParallelFor(n, kGrain, [&](size_t s, size_t e) {
    switch (static_cast<Grad>(op)) {
      case Grad::kLeakyRelu:
        for (size_t i = s; i < e; i++) out[i] = v[i] > 0 ? dy[i] : dy[i] * alpha;
        break;
      case Grad::kRelu:
        // tfjs: dy · step(x), step(NaN) = NaN.
        for (size_t i = s; i < e; i++) out[i] = dy[i] * (v[i] != v[i] ? v[i] : (v[i] > 0 ? 1.0f : 0.0f));
        break;
      case Grad::kTanh:
        for (size_t i = s; i < e; i++) out[i] = (1.0f - v[i] * v[i]) * dy[i];
        break;
      case Grad::kSigmoid:
        for (size_t i = s; i < e; i++) out[i] = dy[i] * (v[i] * (1.0f - v[i]));
        break;
      default:
        break;
    }
  });
  return info.Env().Undefined();
}

}  // namespace

void InitElementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("unary", Napi::Function::New(env, UnaryFunc));
  exports.Set("binarySame", Napi::Function::New(env, Arithmetic::Same));
  exports.Set("binaryScalar", Napi::Function::New(env, Arithmetic::Scalar));
  exports.Set("binary", Napi::Function::New(env, Arithmetic::Broadcast));
  exports.Set("compareSame", Napi::Function::New(env, Comparison::Same));
  exports.Set("compareScalar", Napi::Function::New(env, Comparison::Scalar));
  exports.Set("compare", Napi::Function::New(env, Comparison::Broadcast));
  exports.Set("logicalSame", Napi::Function::New(env, Logical::Same));
  exports.Set("logical", Napi::Function::New(env, Logical::Broadcast));
  exports.Set("logicalNot", Napi::Function::New(env, LogicalNot));
  exports.Set("select", Napi::Function::New(env, Select));
  exports.Set("grad", Napi::Function::New(env, GradFunc));
}

}  // namespace gan
