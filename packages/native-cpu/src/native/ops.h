// The op codes the JavaScript side passes (src/addon.ts holds the same numbers; a test compares
// them with the addon's opCodes()).
#pragma once

#include <cmath>

namespace gan {

enum class Unary : int {
  kRelu = 0,
  kRelu6 = 1,
  kLeakyRelu = 2,  // alpha
  kElu = 3,
  kSelu = 4,
  kSigmoid = 5,
  kTanh = 6,
  kExp = 7,
  kLog = 8,
  kSqrt = 9,
  kRsqrt = 10,
  kSquare = 11,
  kAbs = 12,
  kNeg = 13,
  kReciprocal = 14,
  kSoftplus = 15,
  kStep = 16,  // alpha
  kClip = 17,  // alpha = min, beta = max
  kCount = 18,
};

enum class Binary : int {
  kAdd = 0,
  kSub = 1,
  kMul = 2,
  kDiv = 3,
  kMax = 4,
  kMin = 5,
  kPow = 6,
  kSquaredDifference = 7,
  kCount = 8,
};

enum class Compare : int {
  kGreater = 0,
  kGreaterEqual = 1,
  kLess = 2,
  kLessEqual = 3,
  kEqual = 4,
  kNotEqual = 5,
  kLogicalAnd = 6,  // uint8 inputs
  kLogicalOr = 7,
  kCount = 8,
};

// Gradients fused into one pass (the kernels @gan/core's gradients use when a backend has them).
enum class Grad : int {
  kLeakyRelu = 0,  // dy, x, alpha: x > 0 ? dy : alpha·dy
  kRelu = 1,       // dy, x: x > 0 ? dy : 0·dy
  kTanh = 2,       // dy, y: dy·(1 − y²)
  kSigmoid = 3,    // dy, y: dy·y·(1 − y)
  kCount = 4,
};

// One element of a unary op, as tfjs-backend-cpu computes it (NaN in, NaN out).
inline float UnaryOp(Unary op, float x, double alpha, double beta) {
  switch (op) {
    case Unary::kRelu: return x < 0 ? 0.0f : x;
    case Unary::kRelu6: return x < 0 ? 0.0f : (x > 6 ? 6.0f : x);
    case Unary::kLeakyRelu: return x < 0 ? static_cast<float>(alpha * x) : x;
    case Unary::kElu: return x >= 0 ? x : std::expm1(x);
    case Unary::kSelu: {
      const float scale = 1.0507009873554804934193349852946f;
      const float scaleAlpha = 1.7580993408473768599402175208123f;
      return x >= 0 ? scale * x : scaleAlpha * std::expm1(x);
    }
    case Unary::kSigmoid: return 1.0f / (1.0f + std::exp(-x));
    case Unary::kTanh: return std::tanh(x);
    case Unary::kExp: return std::exp(x);
    case Unary::kLog: return std::log(x);
    case Unary::kSqrt: return std::sqrt(x);
    case Unary::kRsqrt: return 1.0f / std::sqrt(x);
    case Unary::kSquare: return x * x;
    case Unary::kAbs: return std::fabs(x);
    case Unary::kNeg: return -x;
    case Unary::kReciprocal: return 1.0f / x;
    case Unary::kSoftplus: {
      // As tfjs: x when exp would overflow the result's precision, exp(x) when tiny.
      const float threshold = std::log(1.1920928955078125e-7f) + 2.0f;
      if (x > -threshold) return x;
      if (x < threshold) return std::exp(x);
      return std::log1p(std::exp(x));
    }
    case Unary::kStep: return x != x ? x : (x > 0 ? 1.0f : static_cast<float>(alpha));
    case Unary::kClip: return x > beta ? static_cast<float>(beta) : (x < alpha ? static_cast<float>(alpha) : x);
    default: return x;
  }
}

}  // namespace gan
