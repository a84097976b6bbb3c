#!/usr/bin/env python3
"""Writes a byte-level tokenizer.json (Hugging Face layout, 256 byte tokens,
no merges) plus the prompt's special tokens, for the default model.

Why not `leopard-train vocab` (SentencePiece)? Debian's libsentencepiece
embeds and exports protobuf-lite 3.14 while LibTorch pulls libprotobuf 3.21:
in one process either the protobuf static initialisers crash or
SentencePiece's version check aborts. The BPE tokenizer of core/text reads
tokenizer.json without protobuf, so the bundled model uses this one.
Usage: byte_tokenizer.py OUT_DIR
"""
import json
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
# GPT-2's byte → printable character table (byte-level BPE).
bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
cs = bs[:]
n = 0
for b in range(256):
    if b not in bs:
        bs.append(b)
        cs.append(256 + n)
        n += 1
byte_char = dict(zip(bs, (chr(c) for c in cs)))
vocab = {byte_char[b]: b for b in range(256)}
# Must match training/trainer/model_folder.cpp smallModelPromptFormat().
specials = ["<|begin_of_text|>", "<|user|>", "<|assistant|>", "<|eot_id|>", "<|image_begin|>", "<|image_end|>", "<|image|>"]
added = [{"id": 256 + i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
          "normalized": False, "special": True} for i, s in enumerate(specials)]
byte_level = {"add_prefix_space": False, "trim_offsets": True, "use_regex": True}
tokenizer = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added, "normalizer": None,
             "pre_tokenizer": dict(type="ByteLevel", **byte_level), "post_processor": None,
             "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
             "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                       "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False,
                       "vocab": vocab, "merges": []}}
with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
    json.dump(tokenizer, f, ensure_ascii=False)
with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
    json.dump({"bos_token": specials[0], "eos_token": specials[3], "additional_special_tokens": specials}, f, indent=2)
