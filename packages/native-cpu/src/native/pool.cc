// A small fork-join thread pool for the kernels' loops, im2col/col2im and the split matrix
// products (OpenBLAS runs single-threaded inside each). A training step calls it in bursts, so
// a worker spins briefly for the next job before it sleeps, and the caller spins for the
// workers to finish: a condition-variable wake-up would cost more than many of the jobs.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define GAN_PAUSE() _mm_pause()
#else
#define GAN_PAUSE() std::this_thread::yield()
#endif

#include "common.h"

namespace gan {
namespace {

// How long an idle worker spins for the next job before it sleeps.
constexpr auto kSpin = std::chrono::microseconds(200);

class Pool {
 public:
  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  void Resize(int threads) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
      generation_.fetch_add(1);
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
    stop_ = false;
    for (int i = 1; i < threads; i++) workers_.emplace_back([this] { Work(); });
  }

  void Run(size_t n, size_t chunks, const std::function<void(size_t, size_t)>& body) {
    body_ = &body;
    n_ = n;
    chunks_ = chunks;
    next_.store(1);
    pending_.store(static_cast<int>(workers_.size()));
    {
      std::lock_guard<std::mutex> lock(mutex_);
      generation_.fetch_add(1);
    }
    wake_.notify_all();
    Chunk(0);
    // The caller also takes chunks the workers have not started, then waits for the rest.
    for (size_t c; (c = next_.fetch_add(1)) < chunks_;) Chunk(c);
    while (pending_.load(std::memory_order_acquire) != 0) GAN_PAUSE();
    body_ = nullptr;
  }

 private:
  void Chunk(size_t c) {
    const size_t begin = n_ * c / chunks_, end = n_ * (c + 1) / chunks_;
    if (begin < end) (*body_)(begin, end);
  }

  void Work() {
    size_t seen = generation_.load();
    for (;;) {
      // Spin a little for the next job, then sleep until one comes.
      const auto until = std::chrono::steady_clock::now() + kSpin;
      while (generation_.load(std::memory_order_acquire) == seen && std::chrono::steady_clock::now() < until)
        for (int i = 0; i < 64; i++) GAN_PAUSE();
      if (generation_.load(std::memory_order_acquire) == seen) {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_.load() != seen; });
      }
      seen = generation_.load();
      if (stop_) return;
      for (size_t c; (c = next_.fetch_add(1)) < chunks_;) Chunk(c);
      pending_.fetch_sub(1, std::memory_order_release);
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  const std::function<void(size_t, size_t)>* body_ = nullptr;
  size_t n_ = 0, chunks_ = 0;
  std::atomic<size_t> generation_{0};
  std::atomic<size_t> next_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stop_{false};
};

Pool& pool() {
  static Pool* p = new Pool();  // Never destroyed: its threads may outlive static destruction.
  return *p;
}

}  // namespace

void SetPoolThreads(int threads) { pool().Resize(threads < 1 ? 1 : threads); }
int PoolThreads() { return pool().threads(); }

void ParallelFor(size_t n, size_t grain, const std::function<void(size_t, size_t)>& body) {
  const size_t threads = static_cast<size_t>(pool().threads());
  if (threads <= 1 || n < 2 * grain) {
    if (n > 0) body(0, n);
    return;
  }
  const size_t chunks = std::min(threads, n / grain);
  pool().Run(n, chunks, body);
}

bool Fail(const Napi::Env& env, const char* message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
  return false;
}

size_t Length(const Napi::CallbackInfo& info, size_t i) {
  return i < info.Length() && info[i].IsTypedArray()
             ? info[i].As<Napi::TypedArray>().ElementLength()
             : 0;
}

}  // namespace gan
