// Spike for issue 9 (@gan/native-cpu): OpenBLAS (im2col + cblas_sgemm) vs oneDNN on one
// DCGAN-64 convolution, forward, on this machine. Not part of the build or CI.
//
//   apt-get install -y libopenblas-dev libdnnl-dev
//   g++ -O3 -march=native -std=c++17 tools/spikes/conv-backends.cc -o /tmp/conv-backends \
//       /usr/lib/x86_64-linux-gnu/libopenblas.a -ldnnl -lpthread
//   OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 /tmp/conv-backends
#include <cblas.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

using clk = std::chrono::steady_clock;

struct Shape {
  const char* name;
  int n, h, w, cin, cout, k, stride, pad;
  int ho() const { return (h + 2 * pad - k) / stride + 1; }
  int wo() const { return (w + 2 * pad - k) / stride + 1; }
  double gflop() const { return 2.0 * n * ho() * wo() * cout * k * k * cin / 1e9; }
};

// NHWC input, HWIO filter → NHWC output through an explicit im2col matrix.
static void conv_openblas(const Shape& s, const float* x, const float* f, float* y,
                          std::vector<float>& cols) {
  const int ho = s.ho(), wo = s.wo(), kk = s.k * s.k * s.cin;
  for (int b = 0; b < s.n; b++)
    for (int oy = 0; oy < ho; oy++)
      for (int ox = 0; ox < wo; ox++) {
        float* row = &cols[((size_t)(b * ho + oy) * wo + ox) * kk];
        for (int ky = 0; ky < s.k; ky++)
          for (int kx = 0; kx < s.k; kx++) {
            const int iy = oy * s.stride - s.pad + ky, ix = ox * s.stride - s.pad + kx;
            float* dst = row + (ky * s.k + kx) * s.cin;
            if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) {
              for (int c = 0; c < s.cin; c++) dst[c] = 0;
            } else {
              const float* src = x + (((size_t)b * s.h + iy) * s.w + ix) * s.cin;
              for (int c = 0; c < s.cin; c++) dst[c] = src[c];
            }
          }
      }
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s.n * ho * wo, s.cout, kk, 1.0f,
              cols.data(), kk, f, s.cout, 0.0f, y, s.cout);
}

template <typename F>
static double best_seconds(F fn, int reps = 10) {
  fn();
  double best = 1e9;
  for (int r = 0; r < reps; r++) {
    auto t = clk::now();
    fn();
    best = std::min(best, std::chrono::duration<double>(clk::now() - t).count());
  }
  return best;
}

int main() {
  const Shape shapes[] = {
      {"D conv2 64->128 32x32 k4 s2 b16", 16, 32, 32, 64, 128, 4, 2, 1},
      {"D conv3 128->256 16x16 k4 s2 b16", 16, 16, 16, 128, 256, 4, 2, 1},
      {"D conv1 3->64 64x64 k4 s2 b16", 16, 64, 64, 3, 64, 4, 2, 1},
  };
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  std::printf("| layer | GFLOP | OpenBLAS im2col+sgemm GFLOP/s | oneDNN GFLOP/s | max |diff| |\n");
  std::printf("|---|---:|---:|---:|---:|\n");
  for (const Shape& s : shapes) {
    std::vector<float> x((size_t)s.n * s.h * s.w * s.cin), f((size_t)s.k * s.k * s.cin * s.cout);
    for (auto& v : x) v = normal(rng);
    for (auto& v : f) v = normal(rng) * 0.05f;
    std::vector<float> y1((size_t)s.n * s.ho() * s.wo() * s.cout), y2(y1.size());
    std::vector<float> cols((size_t)s.n * s.ho() * s.wo() * s.k * s.k * s.cin);
    const double t_blas = best_seconds([&] { conv_openblas(s, x.data(), f.data(), y1.data(), cols); });

    using tag = dnnl::memory::format_tag;
    using dt = dnnl::memory::data_type;
    dnnl::memory::dims src_d = {s.n, s.cin, s.h, s.w}, w_d = {s.cout, s.cin, s.k, s.k},
                       dst_d = {s.n, s.cout, s.ho(), s.wo()};
    auto src_md = dnnl::memory::desc(src_d, dt::f32, tag::nhwc);
    auto w_user = dnnl::memory::desc(w_d, dt::f32, tag::hwio);
    auto dst_md = dnnl::memory::desc(dst_d, dt::f32, tag::nhwc);
    auto w_any = dnnl::memory::desc(w_d, dt::f32, tag::any);
    auto pd = dnnl::convolution_forward::primitive_desc(
        dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference,
                                        dnnl::algorithm::convolution_direct, src_md, w_any, dst_md,
                                        {s.stride, s.stride}, {s.pad, s.pad}, {s.pad, s.pad}),
        eng);
    dnnl::memory src_m(src_md, eng, x.data()), w_m(w_user, eng, f.data()), dst_m(dst_md, eng, y2.data());
    dnnl::memory w_r(pd.weights_desc(), eng);
    dnnl::reorder(w_m, w_r).execute(strm, w_m, w_r);  // weights reordered once, as a kernel cache would
    dnnl::convolution_forward conv(pd);
    const double t_dnnl = best_seconds([&] {
      conv.execute(strm, {{DNNL_ARG_SRC, src_m}, {DNNL_ARG_WEIGHTS, w_r}, {DNNL_ARG_DST, dst_m}});
      strm.wait();
    });
    double diff = 0;
    for (size_t i = 0; i < y1.size(); i++) diff = std::max(diff, (double)std::abs(y1[i] - y2[i]));
    std::printf("| %s | %.3f | %.1f | %.1f | %.1e |\n", s.name, s.gflop(), s.gflop() / t_blas,
                s.gflop() / t_dnnl, diff);
  }
}
