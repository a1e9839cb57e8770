#!/usr/bin/env python3
"""Converts FID InceptionV3 weights to the files @gan/fid's loadInceptionV3 reads.

    python3 tools/convert-inception.py pt_inception-2015-12-05-6726825d.pth OUT_DIR

Input: pytorch-fid's weights (https://github.com/mseitzer/pytorch-fid/releases, the file
FID_WEIGHTS_URL names), i.e. the TF 2015-12-05 graph ported to PyTorch — or any state_dict of
tools/inception_fid.py's FidInceptionV3. Output: OUT_DIR/model.json (a tfjs weights manifest)
and OUT_DIR/weights.bin (float32, little-endian). Tensors keep their PyTorch names and layouts
(convolutions OIHW; the loader transposes), `fc.*` and `num_batches_tracked` are dropped, and
every expected parameter must be present. Needs PyTorch only (Debian: python3-torch).
"""
import json
import pathlib
import sys

import numpy as np
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from inception_fid import FidInceptionV3  # noqa: E402


def convert(state_dict, out_dir):
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    expected = {k: v.shape for k, v in FidInceptionV3().state_dict().items()
                if not k.endswith("num_batches_tracked")}
    missing = [k for k in expected if k not in state_dict]
    if missing:
        raise SystemExit(f"missing parameters: {missing[:5]}{' …' if len(missing) > 5 else ''}")
    specs, chunks = [], []
    for name in sorted(expected):
        value = state_dict[name].detach().cpu().to(torch.float32).numpy()
        if tuple(value.shape) != tuple(expected[name]):
            raise SystemExit(f"{name}: shape {tuple(value.shape)}, expected {tuple(expected[name])}")
        specs.append({"name": name, "shape": list(value.shape), "dtype": "float32"})
        chunks.append(np.ascontiguousarray(value, dtype="<f4").tobytes())
    (out / "weights.bin").write_bytes(b"".join(chunks))
    (out / "model.json").write_text(json.dumps({
        "format": "gan-fid-inception-v3",
        "layout": "pytorch (OIHW convolutions, BatchNorm eps 0.001)",
        "weightsManifest": [{"paths": ["weights.bin"], "weights": specs}],
    }, indent=1))
    return specs


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    weights = torch.load(sys.argv[1], map_location="cpu")
    specs = convert(weights, sys.argv[2])
    print(f"wrote {len(specs)} tensors to {sys.argv[2]}")
