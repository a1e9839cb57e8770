// @gan/native-cpu: the inner loops of tfjs cpu kernels in C++ over OpenBLAS (linked statically).
// Every function works in place on the caller's Float32Arrays (tfjs cpu tensors are plain typed
// arrays, so nothing is copied) and validates sizes before touching memory.
#include <napi.h>

#ifdef GAN_BLAS_ACCELERATE
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
#endif

#include <algorithm>
#include <cstring>
#include <vector>

#ifndef GAN_BLAS_ACCELERATE
extern "C" {
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
}
#endif

namespace {

bool Fail(const Napi::Env& env, const char* message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
  return false;
}

// Float32Array argument i with at least `need` elements.
float* F32(const Napi::CallbackInfo& info, size_t i, size_t need, bool* ok) {
  if (!*ok) return nullptr;
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    *ok = Fail(info.Env(), "expected a Float32Array");
    return nullptr;
  }
  auto array = info[i].As<Napi::Float32Array>();
  if (array.ElementLength() < need) {
    *ok = Fail(info.Env(), "Float32Array too short for the given sizes");
    return nullptr;
  }
  return array.Data();
}

// sgemm(transA, transB, m, n, k, a, b, c): c[m×n] = op(a) · op(b), row-major.
Napi::Value Sgemm(const Napi::CallbackInfo& info) {
  bool ok = info.Length() == 8 || Fail(info.Env(), "sgemm takes 8 arguments");
  if (!ok) return info.Env().Undefined();
  const bool ta = info[0].ToBoolean(), tb = info[1].ToBoolean();
  const int m = info[2].ToNumber().Int32Value(), n = info[3].ToNumber().Int32Value(),
            k = info[4].ToNumber().Int32Value();
  if (m <= 0 || n <= 0 || k <= 0) return info.Env().Undefined();
  const float* a = F32(info, 5, (size_t)m * k, &ok);
  const float* b = F32(info, 6, (size_t)k * n, &ok);
  float* c = F32(info, 7, (size_t)m * n, &ok);
  if (!ok) return info.Env().Undefined();
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n,
              k, 1.0f, a, ta ? m : k, b, tb ? k : n, 0.0f, c, n);
  return info.Env().Undefined();
}

// The geometry every convolution kernel takes, from an Int32Array of 15: n, h, w, cin, kh, kw,
// cout, strideH, strideW, dilationH, dilationW, padTop, padLeft, outH, outW. NHWC data, HWIO
// filters (so a filter is a [kh·kw·cin, cout] matrix and im2col rows are [kh·kw·cin]).
struct Geometry {
  int n, h, w, cin, kh, kw, cout, sh, sw, dh, dw, pt, pl, oh, ow;
  size_t kk() const { return (size_t)kh * kw * cin; }
  size_t rows() const { return (size_t)oh * ow; }
  size_t xSize() const { return (size_t)n * h * w * cin; }
  size_t fSize() const { return kk() * cout; }
  size_t ySize() const { return (size_t)n * rows() * cout; }
  // 1×1, stride 1, unpadded: the input already is the im2col matrix.
  bool pointwise() const {
    return kh == 1 && kw == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 && oh == h && ow == w;
  }
};

bool ReadGeometry(const Napi::CallbackInfo& info, size_t i, Geometry* g) {
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      info[i].As<Napi::Int32Array>().ElementLength() != 15)
    return Fail(info.Env(), "dims must be an Int32Array of 15");
  std::memcpy(g, info[i].As<Napi::Int32Array>().Data(), sizeof(Geometry));
  if (g->n <= 0 || g->oh <= 0 || g->ow <= 0 || g->cin <= 0 || g->cout <= 0 || g->kh <= 0 || g->kw <= 0)
    return Fail(info.Env(), "dims must be positive");
  return true;
}

// Visits every (im2col row r, column block of cin) with its input pixel, or -1 when padding.
template <typename F>
void ForEachPatch(const Geometry& g, F visit) {
  for (int oy = 0; oy < g.oh; oy++)
    for (int ox = 0; ox < g.ow; ox++)
      for (int ky = 0; ky < g.kh; ky++) {
        const int iy = oy * g.sh - g.pt + ky * g.dh;
        for (int kx = 0; kx < g.kw; kx++) {
          const int ix = ox * g.sw - g.pl + kx * g.dw;
          const size_t col = ((size_t)oy * g.ow + ox) * g.kk() + ((size_t)ky * g.kw + kx) * g.cin;
          const bool inside = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w;
          visit(col, inside ? ((size_t)iy * g.w + ix) * g.cin : (size_t)-1);
        }
      }
}

void Im2col(const Geometry& g, const float* xb, float* cols) {
  ForEachPatch(g, [&](size_t col, size_t pixel) {
    if (pixel == (size_t)-1)
      std::memset(cols + col, 0, sizeof(float) * g.cin);
    else
      std::memcpy(cols + col, xb + pixel, sizeof(float) * g.cin);
  });
}

void Col2imAdd(const Geometry& g, const float* cols, float* dxb) {
  ForEachPatch(g, [&](size_t col, size_t pixel) {
    if (pixel == (size_t)-1) return;
    for (int c = 0; c < g.cin; c++) dxb[pixel + c] += cols[col + c];
  });
}

// The arguments every convolution function takes: (a, b, out, dims), where the three arrays hold
// x, filter or y as `sizes` says (each a Geometry size). ok is false once an error is thrown.
struct ConvArgs {
  Geometry g;
  const float* a;
  const float* b;
  float* out;
  bool ok;
};
using Size = size_t (Geometry::*)() const;

ConvArgs ReadConvArgs(const Napi::CallbackInfo& info, const char* name, Size a, Size b, Size out) {
  ConvArgs r{};
  r.ok = (info.Length() == 4 || Fail(info.Env(), name)) && ReadGeometry(info, 3, &r.g);
  r.a = F32(info, 0, r.ok ? (r.g.*a)() : 0, &r.ok);
  r.b = F32(info, 1, r.ok ? (r.g.*b)() : 0, &r.ok);
  r.out = F32(info, 2, r.ok ? (r.g.*out)() : 0, &r.ok);
  return r;
}

// conv2d(x, filter, y, dims): y = conv(x, filter), by im2col + sgemm per image.
Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  const auto [g, x, f, y, ok] =
      ReadConvArgs(info, "conv2d takes 4 arguments", &Geometry::xSize, &Geometry::fSize, &Geometry::ySize);
  if (!ok) return info.Env().Undefined();
  std::vector<float> cols(g.pointwise() ? 0 : g.rows() * g.kk());
  for (int b = 0; b < g.n; b++) {
    const float* xb = x + (size_t)b * g.h * g.w * g.cin;
    if (!g.pointwise()) Im2col(g, xb, cols.data());
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)g.rows(), g.cout, (int)g.kk(), 1.0f,
                g.pointwise() ? xb : cols.data(), (int)g.kk(), f, g.cout, 0.0f,
                y + (size_t)b * g.rows() * g.cout, g.cout);
  }
  return info.Env().Undefined();
}

// conv2dBackpropInput(dy, filter, dx, dims): dx = Σ col2im(dy_b · filterᵀ) — the transposed
// convolution (the generator's upsampling layers).
Napi::Value Conv2dBackpropInput(const Napi::CallbackInfo& info) {
  const auto [g, dy, f, dx, ok] = ReadConvArgs(info, "conv2dBackpropInput takes 4 arguments",
                                               &Geometry::ySize, &Geometry::fSize, &Geometry::xSize);
  if (!ok) return info.Env().Undefined();
  std::vector<float> cols(g.pointwise() ? 0 : g.rows() * g.kk());
  for (int b = 0; b < g.n; b++) {
    float* dxb = dx + (size_t)b * g.h * g.w * g.cin;
    float* target = g.pointwise() ? dxb : cols.data();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)g.rows(), (int)g.kk(), g.cout, 1.0f,
                dy + (size_t)b * g.rows() * g.cout, g.cout, f, g.cout, 0.0f, target, (int)g.kk());
    if (!g.pointwise()) {
      std::memset(dxb, 0, sizeof(float) * g.h * g.w * g.cin);
      Col2imAdd(g, cols.data(), dxb);
    }
  }
  return info.Env().Undefined();
}

// conv2dBackpropFilter(x, dy, dw, dims): dw = Σ_b im2col(x_b)ᵀ · dy_b.
Napi::Value Conv2dBackpropFilter(const Napi::CallbackInfo& info) {
  const auto [g, x, dy, dw, ok] = ReadConvArgs(info, "conv2dBackpropFilter takes 4 arguments",
                                               &Geometry::xSize, &Geometry::ySize, &Geometry::fSize);
  if (!ok) return info.Env().Undefined();
  std::vector<float> cols(g.pointwise() ? 0 : g.rows() * g.kk());
  for (int b = 0; b < g.n; b++) {
    const float* xb = x + (size_t)b * g.h * g.w * g.cin;
    if (!g.pointwise()) Im2col(g, xb, cols.data());
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)g.kk(), g.cout, (int)g.rows(), 1.0f,
                g.pointwise() ? xb : cols.data(), (int)g.kk(), dy + (size_t)b * g.rows() * g.cout,
                g.cout, b == 0 ? 0.0f : 1.0f, dw, g.cout);
  }
  return info.Env().Undefined();
}

// Shapes of rank ≤ 8 as Int32Arrays, all of the output's rank (JS pads with leading 1s).
constexpr int kMaxRank = 8;

bool ReadShape(const Napi::CallbackInfo& info, size_t i, int rank, int* dims) {
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      (int)info[i].As<Napi::Int32Array>().ElementLength() != rank)
    return Fail(info.Env(), "shapes must be Int32Arrays of the output's rank");
  std::memcpy(dims, info[i].As<Napi::Int32Array>().Data(), sizeof(int) * rank);
  return true;
}

// Row-major strides of `shape`, with 0 where `shape` is 1 and `out` is not (broadcasting).
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

// Visits every output position in row-major order with the matching offsets of two inputs,
// the innermost dimension as a run (start offsets, run length, inner strides).
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

// The element-wise binary ops; src/addon.ts's BinaryOp holds the same numbers (a test compares
// them with opCodes()).
enum class BinaryOp : int { kAdd = 0, kSub = 1, kMul = 2, kDiv = 3 };

// binary(op, a, aShape, b, bShape, out, outShape): a BinaryOp with NumPy broadcasting (shapes
// padded to one rank).
Napi::Value Binary(const Napi::CallbackInfo& info) {
  bool ok = info.Length() == 7 || Fail(info.Env(), "binary takes 7 arguments");
  if (!ok) return info.Env().Undefined();
  const int code = info[0].ToNumber().Int32Value();
  const BinaryOp op = static_cast<BinaryOp>(code);
  const int rank = info[6].IsTypedArray() ? (int)info[6].As<Napi::TypedArray>().ElementLength() : 0;
  int as[kMaxRank], bs[kMaxRank], os[kMaxRank];
  ok = (rank >= 1 && rank <= kMaxRank && code >= 0 && code <= 3) || Fail(info.Env(), "binary: bad op or rank");
  ok = ok && ReadShape(info, 2, rank, as) && ReadShape(info, 4, rank, bs) && ReadShape(info, 6, rank, os);
  for (int d = 0; ok && d < rank; d++)
    if ((as[d] != os[d] && as[d] != 1) || (bs[d] != os[d] && bs[d] != 1)) ok = Fail(info.Env(), "binary: shapes do not broadcast");
  const float* a = F32(info, 1, ok ? Product(rank, as) : 0, &ok);
  const float* b = F32(info, 3, ok ? Product(rank, bs) : 0, &ok);
  float* out = F32(info, 5, ok ? Product(rank, os) : 0, &ok);
  if (!ok || Product(rank, os) == 0) return info.Env().Undefined();
  size_t sa[kMaxRank], sb[kMaxRank];
  BroadcastStrides(rank, as, os, sa);
  BroadcastStrides(rank, bs, os, sb);
  ForEachRun(rank, os, sa, sb, [&](size_t o, size_t ia, size_t ib, size_t len, size_t da, size_t db) {
    float* y = out + o;
    const float* x1 = a + ia;
    const float* x2 = b + ib;
    switch (op) {
      case BinaryOp::kAdd: for (size_t i = 0; i < len; i++) y[i] = x1[i * da] + x2[i * db]; break;
      case BinaryOp::kSub: for (size_t i = 0; i < len; i++) y[i] = x1[i * da] - x2[i * db]; break;
      case BinaryOp::kMul: for (size_t i = 0; i < len; i++) y[i] = x1[i * da] * x2[i * db]; break;
      case BinaryOp::kDiv: for (size_t i = 0; i < len; i++) y[i] = x1[i * da] / x2[i * db]; break;
    }
  });
  return info.Env().Undefined();
}

// reduceSum(x, xShape, outShapeKeepDims, out, divisor): out = Σ over the dimensions where
// outShape is 1 (and x's is not), accumulated in double, then divided by `divisor` (Mean).
Napi::Value ReduceSum(const Napi::CallbackInfo& info) {
  bool ok = info.Length() == 5 || Fail(info.Env(), "reduceSum takes 5 arguments");
  if (!ok) return info.Env().Undefined();
  const int rank = info[1].IsTypedArray() ? (int)info[1].As<Napi::TypedArray>().ElementLength() : 0;
  int xs[kMaxRank], os[kMaxRank];
  ok = (rank >= 1 && rank <= kMaxRank) || Fail(info.Env(), "reduceSum: bad rank");
  ok = ok && ReadShape(info, 1, rank, xs) && ReadShape(info, 2, rank, os);
  const float* x = F32(info, 0, ok ? Product(rank, xs) : 0, &ok);
  float* out = F32(info, 3, ok ? Product(rank, os) : 0, &ok);
  if (!ok) return info.Env().Undefined();
  const double divisor = info[4].ToNumber().DoubleValue();
  // Walk x in order; the output offset moves only along kept dimensions.
  size_t so[kMaxRank], none[kMaxRank] = {0};
  BroadcastStrides(rank, os, xs, so);
  std::vector<double> acc(Product(rank, os), 0.0);
  ForEachRun(rank, xs, so, none, [&](size_t o, size_t io, size_t, size_t len, size_t dout, size_t) {
    const float* v = x + o;
    if (dout == 0) {
      double s = 0;
      for (size_t i = 0; i < len; i++) s += v[i];
      acc[io] += s;
    } else {
      for (size_t i = 0; i < len; i++) acc[io + i * dout] += v[i];
    }
  });
  for (size_t i = 0; i < acc.size(); i++) out[i] = (float)(acc[i] / divisor);
  return info.Env().Undefined();
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  const int n = info[0].ToNumber().Int32Value();
#ifdef GAN_BLAS_ACCELERATE
  (void)n;  // Accelerate sizes its own thread pool.
  return Napi::Number::New(info.Env(), 0);
#else
  if (n > 0) openblas_set_num_threads(n);
  return Napi::Number::New(info.Env(), openblas_get_num_threads());
#endif
}

Napi::Value Config(const Napi::CallbackInfo& info) {
#ifdef GAN_BLAS_ACCELERATE
  return Napi::String::New(info.Env(), "Accelerate.framework");
#else
  return Napi::String::New(info.Env(), openblas_get_config());
#endif
}

// opCodes(): { binary: { add: 0, … } }, so the JavaScript side can check its numbers.
Napi::Value OpCodes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object binary = Napi::Object::New(env);
  binary.Set("add", static_cast<int>(BinaryOp::kAdd));
  binary.Set("sub", static_cast<int>(BinaryOp::kSub));
  binary.Set("mul", static_cast<int>(BinaryOp::kMul));
  binary.Set("div", static_cast<int>(BinaryOp::kDiv));
  Napi::Object codes = Napi::Object::New(env);
  codes.Set("binary", binary);
  return codes;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("sgemm", Napi::Function::New(env, Sgemm));
  exports.Set("conv2d", Napi::Function::New(env, Conv2d));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Conv2dBackpropInput));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Conv2dBackpropFilter));
  exports.Set("binary", Napi::Function::New(env, Binary));
  exports.Set("reduceSum", Napi::Function::New(env, ReduceSum));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("config", Napi::Function::New(env, Config));
  exports.Set("opCodes", Napi::Function::New(env, OpCodes));
  return exports;
}

}  // namespace

NODE_API_MODULE(gan_native_cpu, Init)
