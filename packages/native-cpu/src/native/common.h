// Shared by the addon's files: argument readers, the thread pool, each file's registration.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <functional>

namespace gan {

// Throws a JavaScript TypeError with `message`; returns false, so checks chain with &&.
bool Fail(const Napi::Env& env, const char* message);

template <typename T>
struct ArrayKind;
template <>
struct ArrayKind<float> {
  static constexpr napi_typedarray_type kind = napi_float32_array;
  static constexpr const char* name = "a Float32Array";
};
template <>
struct ArrayKind<uint8_t> {
  static constexpr napi_typedarray_type kind = napi_uint8_array;
  static constexpr const char* name = "a Uint8Array";
};
template <>
struct ArrayKind<int32_t> {
  static constexpr napi_typedarray_type kind = napi_int32_array;
  static constexpr const char* name = "an Int32Array";
};

// Typed-array argument i holding T, with at least `need` elements; nullptr (a JS error thrown,
// *ok false) otherwise, or when an earlier check already failed.
template <typename T>
T* Arg(const Napi::CallbackInfo& info, size_t i, size_t need, bool* ok) {
  if (!*ok) return nullptr;
  if (i >= info.Length() || !info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != ArrayKind<T>::kind) {
    *ok = Fail(info.Env(), ArrayKind<T>::name);
    return nullptr;
  }
  auto array = info[i].As<Napi::TypedArrayOf<T>>();
  if (array.ElementLength() < need) {
    *ok = Fail(info.Env(), "typed array too short for the given sizes");
    return nullptr;
  }
  return array.Data();
}

// The element count of typed-array argument i (0 if it is none).
size_t Length(const Napi::CallbackInfo& info, size_t i);

inline int Int(const Napi::CallbackInfo& info, size_t i) {
  return i < info.Length() ? info[i].ToNumber().Int32Value() : 0;
}
inline double Number(const Napi::CallbackInfo& info, size_t i) {
  return i < info.Length() ? info[i].ToNumber().DoubleValue() : 0.0;
}

// Runs body(begin, end) over [0, n), split across the pool's threads in chunks of at least
// `grain` (inline when n < 2·grain or the pool has one thread). The caller's thread takes part.
void ParallelFor(size_t n, size_t grain, const std::function<void(size_t, size_t)>& body);
void SetPoolThreads(int threads);
int PoolThreads();

// Each file adds its functions to the addon's exports.
void InitConv(Napi::Env env, Napi::Object exports);
void InitElementwise(Napi::Env env, Napi::Object exports);
void InitReduce(Napi::Env env, Napi::Object exports);
void InitShape(Napi::Env env, Napi::Object exports);
void InitNorm(Napi::Env env, Napi::Object exports);
void InitOptimizer(Napi::Env env, Napi::Object exports);

}  // namespace gan
