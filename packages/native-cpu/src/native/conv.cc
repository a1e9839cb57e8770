// Matrix products and convolutions over the BLAS (OpenBLAS linked in, or Accelerate on macOS).
// Convolutions are im2col + one sgemm over as many images as fit a 64 MB buffer (small layers
// then make one large product instead of one small product per image); im2col and col2im run
// image by image on the pool's threads.
#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#ifdef GAN_BLAS_ACCELERATE
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
#endif

#include "common.h"
#include "ops.h"

namespace gan {
namespace {

constexpr size_t kColsBudget = size_t{64} << 20;  // bytes of im2col buffer per chunk of images
constexpr double kGemmSplit = 4e6;                 // FLOPs from which a product is split over threads
constexpr size_t kCopyGrain = size_t{1} << 16;     // floats an im2col/col2im thread takes at least

// C = alpha·op(A)·op(B) + beta·C (row-major), its rows split over the pool's threads when the
// product is large: OpenBLAS itself runs single-threaded (its spinning worker threads would
// take the cores from the JavaScript thread and the pool), each thread a block of C's rows.
void Gemm(bool ta, bool tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
          float beta, float* c, int ldc) {
  const auto run = [&](int r0, int r1) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, r1 - r0, n, k, alpha,
                ta ? a + r0 : a + static_cast<size_t>(r0) * lda, lda, b, ldb, beta, c + static_cast<size_t>(r0) * ldc,
                ldc);
  };
  const double flops = 2.0 * m * n * k;
  if (flops < kGemmSplit || PoolThreads() == 1 || m < 2 * 16) {
    run(0, m);
    return;
  }
  // Row blocks of a multiple of 16 (the kernels' tile), at least 16.
  ParallelFor(static_cast<size_t>(m), 16, [&](size_t r0, size_t r1) {
    const int b0 = static_cast<int>(r0 & ~size_t{15}), b1 = r1 == static_cast<size_t>(m) ? m : static_cast<int>(r1 & ~size_t{15});
    if (b0 < b1) run(b0, b1);
  });
}

// sgemm(transA, transB, m, n, k, a, b, c): c[m×n] = op(a) · op(b), row-major.
Napi::Value Sgemm(const Napi::CallbackInfo& info) {
  bool ok = info.Length() == 8 || Fail(info.Env(), "sgemm takes 8 arguments");
  if (!ok) return info.Env().Undefined();
  const bool ta = info[0].ToBoolean(), tb = info[1].ToBoolean();
  const int m = Int(info, 2), n = Int(info, 3), k = Int(info, 4);
  if (m <= 0 || n <= 0 || k <= 0) return info.Env().Undefined();
  const float* a = Arg<float>(info, 5, static_cast<size_t>(m) * k, &ok);
  const float* b = Arg<float>(info, 6, static_cast<size_t>(k) * n, &ok);
  float* c = Arg<float>(info, 7, static_cast<size_t>(m) * n, &ok);
  if (!ok) return info.Env().Undefined();
  Gemm(ta, tb, m, n, k, 1.0f, a, ta ? m : k, b, tb ? k : n, 0.0f, c, n);
  return info.Env().Undefined();
}

// The geometry every convolution takes, from an Int32Array of 15: n, h, w, cin, kh, kw, cout,
// strideH, strideW, dilationH, dilationW, padTop, padLeft, outH, outW. NHWC data, HWIO filters
// (a filter is a [kh·kw·cin, cout] matrix; im2col rows are [kh·kw·cin]).
struct Geometry {
  int n, h, w, cin, kh, kw, cout, sh, sw, dh, dw, pt, pl, oh, ow;
  size_t kk() const { return static_cast<size_t>(kh) * kw * cin; }
  size_t rows() const { return static_cast<size_t>(oh) * ow; }
  size_t image() const { return static_cast<size_t>(h) * w * cin; }
  size_t xSize() const { return static_cast<size_t>(n) * image(); }
  size_t fSize() const { return kk() * cout; }
  size_t ySize() const { return static_cast<size_t>(n) * rows() * cout; }
  // 1×1, stride 1, unpadded: the input already is the im2col matrix.
  bool pointwise() const {
    return kh == 1 && kw == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 && oh == h && ow == w;
  }
  // Images per im2col chunk.
  int chunk() const {
    const size_t per = std::max<size_t>(rows() * kk() * sizeof(float), 1);
    return static_cast<int>(std::clamp<size_t>(kColsBudget / per, 1, static_cast<size_t>(n)));
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

// Visits every im2col row (output pixel) and kernel row ky with the span of input pixels it
// reads — kx from kx0 to kx1 (exclusive) lie inside the image, starting at input pixel `pixel`
// (−1 when the whole kernel row is padding) — so that with dilation 1 each span is one
// contiguous copy of (kx1 − kx0)·cin floats instead of kw copies of cin.
template <typename F>
void ForEachSpan(const Geometry& g, F visit) {
  for (int oy = 0; oy < g.oh; oy++)
    for (int ox = 0; ox < g.ow; ox++) {
      const size_t row = (static_cast<size_t>(oy) * g.ow + ox) * g.kk();
      const int x0 = ox * g.sw - g.pl;
      // The kx whose ix = x0 + kx·dw lies in [0, w).
      int kx0 = 0, kx1 = g.kw;
      while (kx0 < g.kw && x0 + kx0 * g.dw < 0) kx0++;
      while (kx1 > kx0 && x0 + (kx1 - 1) * g.dw >= g.w) kx1--;
      for (int ky = 0; ky < g.kh; ky++) {
        const int iy = oy * g.sh - g.pt + ky * g.dh;
        const size_t col = row + static_cast<size_t>(ky) * g.kw * g.cin;
        const bool inside = iy >= 0 && iy < g.h && kx0 < kx1;
        visit(col, inside ? (static_cast<size_t>(iy) * g.w + x0 + kx0 * g.dw) * g.cin : static_cast<size_t>(-1), kx0, kx1);
      }
    }
}

// im2col of images [first, first + count) into cols ([count·rows, kk]), image by image in parallel.
void Im2col(const Geometry& g, const float* x, int first, int count, float* cols) {
  const size_t span = static_cast<size_t>(g.kw) * g.cin;
  ParallelFor(static_cast<size_t>(count), std::max<size_t>(1, kCopyGrain / (g.rows() * g.kk())), [&](size_t b, size_t e) {
    for (size_t i = b; i < e; i++) {
      const float* xb = x + (first + i) * g.image();
      float* cb = cols + i * g.rows() * g.kk();
      ForEachSpan(g, [&](size_t col, size_t pixel, int kx0, int kx1) {
        float* dst = cb + col;
        if (pixel == static_cast<size_t>(-1)) {
          std::fill(dst, dst + span, 0.0f);
          return;
        }
        std::fill(dst, dst + static_cast<size_t>(kx0) * g.cin, 0.0f);
        if (g.dw == 1) {
          std::copy(xb + pixel, xb + pixel + static_cast<size_t>(kx1 - kx0) * g.cin, dst + static_cast<size_t>(kx0) * g.cin);
        } else {
          for (int kx = kx0; kx < kx1; kx++)
            std::copy(xb + pixel + static_cast<size_t>(kx - kx0) * g.dw * g.cin,
                      xb + pixel + (static_cast<size_t>(kx - kx0) * g.dw + 1) * g.cin, dst + static_cast<size_t>(kx) * g.cin);
        }
        std::fill(dst + static_cast<size_t>(kx1) * g.cin, dst + span, 0.0f);
      });
    }
  });
}

// dx (images [first, first + count)) = col2im(cols), image by image in parallel.
void Col2im(const Geometry& g, const float* cols, int first, int count, float* dx) {
  ParallelFor(static_cast<size_t>(count), std::max<size_t>(1, kCopyGrain / (g.rows() * g.kk())), [&](size_t b, size_t e) {
    for (size_t i = b; i < e; i++) {
      float* dxb = dx + (first + i) * g.image();
      const float* cb = cols + i * g.rows() * g.kk();
      std::fill(dxb, dxb + g.image(), 0.0f);
      ForEachSpan(g, [&](size_t col, size_t pixel, int kx0, int kx1) {
        if (pixel == static_cast<size_t>(-1)) return;
        const float* src = cb + col + static_cast<size_t>(kx0) * g.cin;
        if (g.dw == 1) {
          float* dst = dxb + pixel;
          const size_t n = static_cast<size_t>(kx1 - kx0) * g.cin;
          for (size_t k = 0; k < n; k++) dst[k] += src[k];
        } else {
          for (int kx = kx0; kx < kx1; kx++) {
            float* dst = dxb + pixel + static_cast<size_t>(kx - kx0) * g.dw * g.cin;
            const float* s = src + static_cast<size_t>(kx - kx0) * g.cin;
            for (int c = 0; c < g.cin; c++) dst[c] += s[c];
          }
        }
      });
    }
  });
}

// The fused ops' epilogue in place: bias (one per output channel, or one for all) and a unary
// activation (op < 0: linear), split over the pool's threads.
void Epilogue(float* y, size_t n, size_t channels, const float* bias, size_t biasSize, int op, double alpha) {
  ParallelFor(n / channels, std::max<size_t>((1 << 15) / channels, 1), [&](size_t b, size_t e) {
    for (size_t r = b; r < e; r++) {
      float* row = y + r * channels;
      if (biasSize == channels)
        for (size_t c = 0; c < channels; c++) row[c] += bias[c];
      else if (biasSize == 1)
        for (size_t c = 0; c < channels; c++) row[c] += bias[0];
      if (op >= 0)
        for (size_t c = 0; c < channels; c++) row[c] = UnaryOp(static_cast<Unary>(op), row[c], alpha, 0);
    }
  });
}

// The arguments every convolution function takes: (a, b, out, dims, …), where the three arrays
// hold x, filter or y as `sizes` says (each a Geometry size). ok is false once an error is thrown.
struct ConvArgs {
  Geometry g;
  const float* a;
  const float* b;
  float* out;
  bool ok;
};
using Size = size_t (Geometry::*)() const;

ConvArgs ReadConvArgs(const Napi::CallbackInfo& info, const char* usage, Size a, Size b, Size out) {
  ConvArgs r{};
  r.ok = (info.Length() >= 4 || Fail(info.Env(), usage)) && ReadGeometry(info, 3, &r.g);
  r.a = Arg<float>(info, 0, r.ok ? (r.g.*a)() : 0, &r.ok);
  r.b = Arg<float>(info, 1, r.ok ? (r.g.*b)() : 0, &r.ok);
  r.out = Arg<float>(info, 2, r.ok ? (r.g.*out)() : 0, &r.ok);
  return r;
}

// conv2d(x, filter, y, dims, bias, activation, alpha): y = act(conv(x, filter) + bias), one
// sgemm per chunk of images. bias: a Float32Array of cout, 1 or 0 values; activation: a Unary
// op code, or −1 for none.
Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  const auto [g, x, f, y, ok] =
      ReadConvArgs(info, "conv2d takes 4–7 arguments", &Geometry::xSize, &Geometry::fSize, &Geometry::ySize);
  if (!ok) return info.Env().Undefined();
  const int M = static_cast<int>(g.rows()), K = static_cast<int>(g.kk());
  if (g.pointwise()) {
    Gemm(false, false, g.n * M, g.cout, K, 1.0f, x, K, f, g.cout, 0.0f, y, g.cout);
  } else {
    const int chunk = g.chunk();
    std::unique_ptr<float[]> cols(new float[static_cast<size_t>(chunk) * g.rows() * g.kk()]);
    for (int first = 0; first < g.n; first += chunk) {
      const int count = std::min(chunk, g.n - first);
      Im2col(g, x, first, count, cols.get());
      Gemm(false, false, count * M, g.cout, K, 1.0f, cols.get(), K, f, g.cout, 0.0f,
           y + static_cast<size_t>(first) * g.rows() * g.cout, g.cout);
    }
  }
  if (info.Length() >= 7) {
    bool fine = true;
    const size_t biasSize = Length(info, 4);
    const float* bias = biasSize ? Arg<float>(info, 4, biasSize, &fine) : nullptr;
    if (fine) Epilogue(y, g.ySize(), g.cout, bias, biasSize, Int(info, 5), Number(info, 6));
  }
  return info.Env().Undefined();
}

// conv2dBackpropInput(dy, filter, dx, dims): dx = col2im(dy · filterᵀ) — the transposed
// convolution (the generator's upsampling layers).
Napi::Value Conv2dBackpropInput(const Napi::CallbackInfo& info) {
  const auto [g, dy, f, dx, ok] = ReadConvArgs(info, "conv2dBackpropInput takes 4 arguments", &Geometry::ySize,
                                               &Geometry::fSize, &Geometry::xSize);
  if (!ok) return info.Env().Undefined();
  const int M = static_cast<int>(g.rows()), K = static_cast<int>(g.kk());
  if (g.pointwise()) {
    Gemm(false, true, g.n * M, K, g.cout, 1.0f, dy, g.cout, f, g.cout, 0.0f, dx, K);
    return info.Env().Undefined();
  }
  const int chunk = g.chunk();
  std::unique_ptr<float[]> cols(new float[static_cast<size_t>(chunk) * g.rows() * g.kk()]);
  for (int first = 0; first < g.n; first += chunk) {
    const int count = std::min(chunk, g.n - first);
    Gemm(false, true, count * M, K, g.cout, 1.0f, dy + static_cast<size_t>(first) * g.rows() * g.cout, g.cout, f,
         g.cout, 0.0f, cols.get(), K);
    Col2im(g, cols.get(), first, count, dx);
  }
  return info.Env().Undefined();
}

// conv2dBackpropFilter(x, dy, dw, dims): dw = Σ im2col(x)ᵀ · dy, accumulated over chunks.
Napi::Value Conv2dBackpropFilter(const Napi::CallbackInfo& info) {
  const auto [g, x, dy, dw, ok] = ReadConvArgs(info, "conv2dBackpropFilter takes 4 arguments", &Geometry::xSize,
                                               &Geometry::ySize, &Geometry::fSize);
  if (!ok) return info.Env().Undefined();
  const int M = static_cast<int>(g.rows()), K = static_cast<int>(g.kk());
  if (g.pointwise()) {
    Gemm(true, false, K, g.cout, g.n * M, 1.0f, x, K, dy, g.cout, 0.0f, dw, g.cout);
    return info.Env().Undefined();
  }
  const int chunk = g.chunk();
  std::unique_ptr<float[]> cols(new float[static_cast<size_t>(chunk) * g.rows() * g.kk()]);
  for (int first = 0; first < g.n; first += chunk) {
    const int count = std::min(chunk, g.n - first);
    Im2col(g, x, first, count, cols.get());
    Gemm(true, false, K, g.cout, count * M, 1.0f, cols.get(), K, dy + static_cast<size_t>(first) * g.rows() * g.cout,
         g.cout, first == 0 ? 0.0f : 1.0f, dw, g.cout);
  }
  return info.Env().Undefined();
}

// epilogue(y, channels, bias, activation, alpha): the fused matmul's bias and activation.
Napi::Value EpilogueFunc(const Napi::CallbackInfo& info) {
  const size_t n = Length(info, 0), channels = static_cast<size_t>(Int(info, 1));
  const size_t biasSize = Length(info, 2);
  bool ok = (channels > 0 && n % channels == 0 && (biasSize == 0 || biasSize == 1 || biasSize == channels)) ||
            Fail(info.Env(), "epilogue: bad sizes");
  float* y = Arg<float>(info, 0, n, &ok);
  const float* bias = biasSize ? Arg<float>(info, 2, biasSize, &ok) : nullptr;
  if (ok) Epilogue(y, n, channels, bias, biasSize, Int(info, 3), Number(info, 4));
  return info.Env().Undefined();
}

}  // namespace

void InitConv(Napi::Env env, Napi::Object exports) {
  exports.Set("epilogue", Napi::Function::New(env, EpilogueFunc));
  exports.Set("sgemm", Napi::Function::New(env, Sgemm));
  exports.Set("conv2d", Napi::Function::New(env, Conv2d));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Conv2dBackpropInput));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Conv2dBackpropFilter));
}

}  // namespace gan
