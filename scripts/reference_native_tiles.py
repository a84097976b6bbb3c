#!/usr/bin/python3
"""Expected tile plans and tiles for large images (12-50 MP), computed by the
Leopard reference's own tiling functions, for tests/data/native-size/.

The reference's functions (allocate_patches, select_best_resolution,
resize_and_pad_image, divide_to_patches in
evaluations/models/llava_multiimg_siglip_anyres.py of github:tencent-ailab/Leopard)
are read from a checkout or mirror of that repository at run time and executed
as they are; nothing of them is copied into this project. Resampling is
Debian's Pillow (python3-pil), as the reference uses PIL.

  /usr/bin/python3 scripts/reference_native_tiles.py --leopard PATH [--out tests/data/native-size]

PATH is a work tree of the reference or its bare git directory (the `fetch`
mirror). Needs python3-pil and python3-numpy (apt).

Writes
  plans.json   {"tile", "total_budget", "cases": [{"sizes_wh", "budget", "images"}]}
               in tests/data/golden/tiling/allocation.json's layout: the plan per
               image of many questions (1-8 images, 13-50 MP alone and mixed
               with small ones, odd aspect ratios, the examples of issue 22).
  tiles.json   {"tile", "pattern", "cases": [{"sizes_wh", "plan", "tiles": [{"image",
               "index", "file"}]}]}: questions over synthetic images whose pixels
               are the pattern below (tests/imaging/native_pattern.h draws the
               same); each image's global view and a few of its tiles (index 0
               = global view, k = tile k in row-major order) as PNG files.

The pattern, for pixel (x, y) of a W x H image (integers, // = floor division):
  u = x*4096 // W, v = y*4096 // H
  R = (u XOR v) AND 255;  G = ((u + 2v) >> 3) AND 255;  B = 230 if ((u>>8) + (v>>8)) odd else 20
  and R = G = B = 0 where x % 97 == 0 or y % 89 == 0 (one-pixel lines at native scale).
"""
import argparse
import ast
import json
import math
import os
import random
import subprocess
import sys

import numpy as np
from PIL import Image

REFERENCE_FILE = "evaluations/models/llava_multiimg_siglip_anyres.py"
FUNCTIONS = ("allocate_patches", "select_best_resolution", "resize_and_pad_image", "divide_to_patches")
TILE = 364
TOTAL_BUDGET = 50


def reference_source(path):
    if os.path.isfile(os.path.join(path, REFERENCE_FILE)):
        with open(os.path.join(path, REFERENCE_FILE), encoding="utf-8") as f:
            return f.read()
    return subprocess.run(["git", "--git-dir", path, "show", "HEAD:" + REFERENCE_FILE],
                          check=True, capture_output=True, text=True).stdout


def load_reference(path, image_module):
    """The reference's tiling functions, compiled from its file, with `Image`
    bound to `image_module` (PIL's, or a recorder for size-only plans)."""
    tree = ast.parse(reference_source(path))
    wanted = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in FUNCTIONS]
    missing = set(FUNCTIONS) - {n.name for n in wanted}
    if missing:
        sys.exit(f"reference_native_tiles: {REFERENCE_FILE} lacks {sorted(missing)}")
    namespace = {"math": math, "Image": image_module}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), REFERENCE_FILE, "exec"), namespace)
    return namespace


class SizeOnly:
    """Stands in for a PIL image and for PIL.Image when only sizes matter:
    records what resize_and_pad_image resizes to and where it pastes."""

    def __init__(self, size, log=None):
        self.size = tuple(size)
        self.log = log if log is not None else {}

    def resize(self, size, *args, **kwargs):
        self.log["resized"] = list(size)
        return SizeOnly(size, self.log)

    def paste(self, image, box):
        self.log["paste"] = list(box)

    def crop(self, box):
        return SizeOnly((box[2] - box[0], box[3] - box[1]), self.log)


class SizeOnlyModule:
    last_log = None

    @staticmethod
    def new(mode, size, color):
        return SizeOnly(size, SizeOnlyModule.last_log)


def plan_question(ref, images):
    """The reference's plan for one question, as tests/data/golden/tiling/allocation.json
    writes it. `images` are PIL images or SizeOnly stand-ins."""
    budget = TOTAL_BUDGET - len(images)
    entries = []
    if budget <= 0:
        return budget, [{"grid": None, "tiles": 0} for _ in images], [None] * len(images)
    counts = ref["allocate_patches"]([im.size for im in images], patch_budget=budget)
    padded_images = []
    for im, n in zip(images, counts):
        best = ref["select_best_resolution"](im.size, n)
        entry = {"allocated": n, "best_resolution": list(best) if best else None}
        if isinstance(im, SizeOnly):
            SizeOnlyModule.last_log = im.log
        padded = ref["resize_and_pad_image"](im, best)
        if padded is None:
            entry.update(grid=None, tiles=0)
        else:
            if isinstance(im, SizeOnly):
                entry["resized"], entry["paste"] = im.log["resized"], im.log["paste"]
            else:
                entry["resized"], entry["paste"] = padded.info_resized, padded.info_paste
            rows, cols = best[1] // TILE, best[0] // TILE
            entry.update(grid=[rows, cols], tiles=len(ref["divide_to_patches"](padded, TILE)))
        entries.append(entry)
        padded_images.append(padded)
    return budget, entries, padded_images


class RecordingPIL:
    """PIL.Image for the pixel cases: the real thing, recording the resized
    size and paste position that resize_and_pad_image chose."""

    @staticmethod
    def new(mode, size, color):
        canvas = Image.new(mode, size, color)
        return Recorded(canvas)


class Recorded:
    def __init__(self, canvas):
        self.canvas = canvas
        self.size = canvas.size
        self.info_resized = self.info_paste = None

    def paste(self, image, box):
        self.info_resized, self.info_paste = list(image.size), list(box)
        self.canvas.paste(image, box)

    def crop(self, box):
        return self.canvas.crop(box)


def pattern(width, height):
    """The test pattern (module docstring) as an RGB PIL image, drawn in row bands."""
    out = Image.new("RGB", (width, height))
    x = np.arange(width, dtype=np.int64)
    u = (x * 4096) // width
    line_x = (x % 97) == 0
    band = 256
    for y0 in range(0, height, band):
        y = np.arange(y0, min(height, y0 + band), dtype=np.int64)[:, None]
        v = (y * 4096) // height
        r = (u[None, :] ^ v) & 255
        g = ((u[None, :] + 2 * v) >> 3) & 255
        b = np.where(((u[None, :] >> 8) + (v >> 8)) & 1, 230, 20)
        dark = line_x[None, :] | ((y % 89) == 0)
        rgb = np.stack([r, g, b], axis=-1)
        rgb[np.broadcast_to(dark, r.shape)] = 0
        out.paste(Image.fromarray(rgb.astype(np.uint8), "RGB"), (0, y0))
    return out


def mp_size(rng, mp_low, mp_high, aspect_low, aspect_high):
    mp = rng.uniform(mp_low, mp_high) * 1e6
    aspect = math.exp(rng.uniform(math.log(aspect_low), math.log(aspect_high)))
    w = int(round(math.sqrt(mp * aspect)))
    h = int(mp // w)
    return [w, h]


def plan_cases(rng):
    cases = [
        [[1920, 1080], [2871, 4976]],   # issue 22: a screenshot and a phone photo
        [[3675, 3352]],                 # issue 22: 12.3 MP, resized 1820x1661
        [[5120, 2880]], [[6016, 3384]], [[4032, 3024]], [[4000, 3000]], [[8160, 6120]],  # 5K, 6K, phones, 50 MP
        [[3464, 4000], [3465, 4000]],   # around 12 MP
        [[22000, 2200]], [[2200, 22000]], [[30000, 1600]],  # panoramas and receipts
    ]
    for _ in range(20):  # one large image alone
        cases.append([mp_size(rng, 12.5, 50, 0.2, 5)])
    for _ in range(60):  # 2-8 images, at least one large, the rest anything
        n = rng.randint(2, 8)
        sizes = [mp_size(rng, 12.5, 50, 0.25, 4)]
        for _ in range(n - 1):
            if rng.random() < 0.35:
                sizes.append(mp_size(rng, 12.5, 50, 0.25, 4))
            else:
                sizes.append([rng.randint(120, 4000), rng.randint(120, 3000)])
        rng.shuffle(sizes)
        cases.append(sizes)
    return cases


# Questions whose tiles are compared pixel by pixel: (sizes, tiles kept per image).
PIXEL_CASES = [
    [[8160, 6120]],                  # 49.9 MP alone
    [[1920, 1080], [2871, 4976]],    # issue 22's pair
    [[5120, 2880], [640, 480], [3675, 3352]],
]


def kept_tiles(count):
    """Global view, the first, a middle and the last tile of an image with `count` tiles."""
    return sorted({0, 1, (count + 1) // 2, count} & set(range(count + 1))) if count else [0]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--leopard", required=True, help="the reference's work tree or bare git directory")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "tests", "data", "native-size"))
    ap.add_argument("--seed", type=int, default=22)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    sized = load_reference(args.leopard, SizeOnlyModule)
    rng = random.Random(args.seed)
    cases = []
    for sizes in plan_cases(rng):
        budget, images, _ = plan_question(sized, [SizeOnly(s) for s in sizes])
        cases.append({"sizes_wh": sizes, "budget": budget, "images": images})
    with open(os.path.join(args.out, "plans.json"), "w") as f:
        json.dump({"tile": TILE, "total_budget": TOTAL_BUDGET, "source": REFERENCE_FILE,
                   "seed": args.seed, "cases": cases}, f, indent=1)
    print(f"plans.json: {len(cases)} questions")

    real = load_reference(args.leopard, RecordingPIL)
    out_cases = []
    for k, sizes in enumerate(PIXEL_CASES):
        images = [pattern(w, h) for w, h in sizes]
        budget, entries, padded = plan_question(real, images)
        tiles = []
        for i, (im, entry, pad) in enumerate(zip(images, entries, padded)):
            # The global view: what the reference hands SiglipImageProcessor, which
            # resizes to T x T with PIL BICUBIC.
            views = [im.resize((TILE, TILE), Image.BICUBIC)]
            if pad is not None:
                views += real["divide_to_patches"](pad, TILE)
            for index in kept_tiles(len(views) - 1):
                name = f"case{k}_img{i}_{'global' if index == 0 else f'tile{index}'}.png"
                views[index].save(os.path.join(args.out, name), optimize=True)
                tiles.append({"image": i, "index": index, "file": name})
        out_cases.append({"sizes_wh": sizes, "plan": {"budget": budget, "images": entries}, "tiles": tiles})
        print(f"tiles case {k}: {sizes} -> {[e['tiles'] for e in entries]} tiles")
    with open(os.path.join(args.out, "tiles.json"), "w") as f:
        json.dump({"tile": TILE, "pattern": "scripts/reference_native_tiles.py (docstring)",
                   "resample": "PIL BICUBIC (Pillow " + Image.__version__ + ")", "cases": out_cases}, f, indent=1)


if __name__ == "__main__":
    main()
