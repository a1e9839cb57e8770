{
  "targets": [
    {
      "target_name": "gan_native_cpu",
      "sources": ["src/native/addon.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-exceptions"],
      "libraries": ["<(openblas)", "-lpthread"],
      "variables": { "openblas": "/usr/lib/x86_64-linux-gnu/libopenblas.a" }
    }
  ]
}
