#!/usr/bin/env bash
# Can the bundled model's architecture learn to use its image at all? A toy
# task with nothing to read but one large digit: 64 × 64 white canvases with
# a black digit 28–44 px high (DejaVu / Liberation fonts), "What does the
# image say?", answer the digit (10 classes, chance 10 %). Trains the default
# recipe's model_config.json from scratch on it (two data-parallel processes,
# one thread each, batch 32) and prints:
#   * the held-out accuracy every EVAL_EVERY steps (200 eval images);
#   * how much the trained model's image features depend on the image: mean
#     |difference| between the features of two different digits against
#     their mean magnitude, at the vision tower's output and after the
#     projector (leopard-cli forward on three eval images).
# A model that uses its image climbs far above 10 % within a few hundred
# steps; issue 17 found it stays at chance.
#   scripts/reading_probe.sh [WORK]     (default: build/reading-probe)
# Environment: STEPS (750), EVAL_EVERY (250), LEOPARD_BIN (build/bin),
# GLYPH_WEIGHT (0): > 0 also trains the vision tower's glyph head
# (train_config.h glyph_loss_weight) on each digit's box (the glyph maps);
# HINT (0): 1 also writes the digit into the question ("… Hint: 7"), the
# control that shows whether the decoder learns from its text context.
# Needs Debian's python3-pil and python3-numpy (/usr/bin/python3).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${LEOPARD_BIN:-$here/build/bin}"
work="${1:-$here/build/reading-probe}"
steps="${STEPS:-750}"
every="${EVAL_EVERY:-250}"
glyph="${GLYPH_WEIGHT:-0}"
hint="${HINT:-0}"
py=/usr/bin/python3
mkdir -p "$work"
cd "$work"

if [[ ! -s toy/eval.jsonl ]]; then
  mkdir -p toy/images
  "$py" - <<'PY'
import json, os, random
from PIL import Image, ImageDraw, ImageFont
fonts = [f for f in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                     "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
                     "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf") if os.path.exists(f)]
rng = random.Random(3)
for split, n in (("train", 6000), ("eval", 200)):
    lines = []
    for i in range(n):
        digit, size = str(rng.randint(0, 9)), rng.randint(28, 44)
        im = Image.new("RGB", (64, 64), (255, 255, 255))
        at, font = (rng.randint(2, 30), rng.randint(0, 14)), ImageFont.truetype(rng.choice(fonts), size)
        draw = ImageDraw.Draw(im)
        draw.text(at, digit, fill=(0, 0, 0), font=font)
        path = f"images/{split}{i}.png"
        im.save("toy/" + path)
        glyph = Image.new("RGB", (64, 64), (0, 0, 0))  # red = the digit's byte inside its box
        ImageDraw.Draw(glyph).rectangle(draw.textbbox(at, digit, font=font), fill=(ord(digit), 0, 0))
        glyph_path = f"images/{split}{i}-glyphs.png"
        glyph.save("toy/" + glyph_path)
        q = "What does the image say?"
        if split == "train":
            lines.append({"id": f"t{i}", "images": [path], "glyph_maps": [glyph_path], "conversations": [
                {"from": "human", "value": "<image>\n" + q}, {"from": "gpt", "value": digit}]})
        else:
            lines.append({"id": f"e{i}", "images_path": [path], "question": q, "answers": [digit],
                          "ques_type": "open-ended", "options": [], "category": "digit"})
    with open(f"toy/{split}.jsonl", "w") as f:
        f.write("".join(json.dumps(l) + "\n" for l in lines))
PY
fi
[[ -s vocab/tokenizer.json ]] || "$bin/leopard-train" vocab --byte-level --out vocab >/dev/null
cp "$here/training/recipes/default/model_config.json" .
train_data=toy/train.jsonl eval_data=toy/eval.jsonl
if [[ "$hint" == 1 ]]; then
  "$py" - <<'PY'
import json
for split in ("train", "eval"):
    with open(f"toy/{split}.jsonl") as f, open(f"toy/{split}-hint.jsonl", "w") as out:
        for line in f:
            d = json.loads(line)
            if split == "train":
                d["conversations"][0]["value"] += " Hint: " + d["conversations"][1]["value"]
            else:
                d["question"] += " Hint: " + d["answers"][0]
            out.write(json.dumps(d) + "\n")
PY
  train_data=toy/train-hint.jsonl eval_data=toy/eval-hint.jsonl
fi
cat >probe.json <<EOF
{"model_config": "model_config.json", "tokenizer": "vocab", "train_data": "$train_data",
 "eval_data": "$eval_data", "out": "model", "steps": $steps, "batch_size": 32, "lr": 0.002,
 "min_lr": 0.0001, "warmup_steps": 20, "grad_clip": 1.0, "seed": 1, "tile_budget": 50,
 "log_every": 50, "eval_every": $every, "eval_samples": 200, "max_new_tokens": 4, "glyph_loss_weight": $glyph}
EOF
rm -rf model rendezvous
"$bin/leopard-train" train --config probe.json --threads 1 --world-size 2 --rank 1 --rendezvous rendezvous \
  >rank1.log 2>&1 &
rank1=$!
"$bin/leopard-train" train --config probe.json --threads 1 --world-size 2 --rank 0 --rendezvous rendezvous |
  grep -E "^(eval at|finished)"
wait "$rank1"

# Image features of three eval images (two different digits first).
"$py" - <<'PY'
import json, struct, numpy as np
from PIL import Image
evals = [json.loads(l) for l in open("toy/eval.jsonl")]
first = evals[0]["answers"][0]
pick = [0] + [next(i for i, e in enumerate(evals) if e["answers"][0] != first)] + [2]
px = np.stack([((np.asarray(Image.open("toy/" + evals[i]["images_path"][0]).convert("RGB"), np.float32) / 255 - 0.5)
                / 0.5).transpose(2, 0, 1) for i in pick]).astype(np.float32)
cfg = json.load(open("model/config.json"))
ids = np.array([cfg["text_config"]["bos_token_id"]] + [cfg["image_token_index"]] * 3, np.int64)
tensors = {"pixel_values": (px, "F32"), "input_ids": (ids, "I64")}
header, blobs, off = {}, [], 0
for k, (a, dt) in tensors.items():
    b = a.tobytes(); header[k] = {"dtype": dt, "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
    off += len(b); blobs.append(b)
h = json.dumps(header).encode(); h += b" " * ((8 - len(h) % 8) % 8)
open("probe-in.safetensors", "wb").write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
PY
"$bin/leopard-cli" forward --model model --inputs probe-in.safetensors --out probe-out.safetensors >/dev/null
"$py" - <<'PY'
import json, struct, numpy as np
b = open("probe-out.safetensors", "rb").read(); n = struct.unpack("<Q", b[:8])[0]; h = json.loads(b[8:8 + n])
for name in ("vision_last_hidden_state", "image_features"):
    v = h[name]; s, e = v["data_offsets"]
    a = np.frombuffer(b[8 + n + s:8 + n + e], np.float32).reshape(v["shape"])
    print(f"{name}: mean |digit A - digit B| {np.abs(a[0] - a[1]).mean():.4f}, mean |x| {np.abs(a).mean():.4f} "
          f"({100 * np.abs(a[0] - a[1]).mean() / np.abs(a).mean():.1f} %)")
PY
