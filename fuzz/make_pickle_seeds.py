#!/usr/bin/env python3
"""Writes seed pickles for fuzz_unpickler with Python's own pickler, the way
torch.save pickles a state dict (protocol 2, OrderedDict with _metadata,
_rebuild_tensor_v2 over persistent-id storages), without needing torch:
stand-in `torch` modules provide the globals by the names torch uses."""
import collections
import pickle
import sys
import types
from pathlib import Path

torch = types.ModuleType("torch")
utils = types.ModuleType("torch._utils")
sys.modules["torch"] = torch
sys.modules["torch._utils"] = utils
torch._utils = utils


def _rebuild_tensor_v2(*args):
    raise RuntimeError("seed generator only")


def _rebuild_parameter(*args):
    raise RuntimeError("seed generator only")


_rebuild_tensor_v2.__module__ = "torch._utils"
_rebuild_parameter.__module__ = "torch._utils"
utils._rebuild_tensor_v2 = _rebuild_tensor_v2
utils._rebuild_parameter = _rebuild_parameter

for name in ("FloatStorage", "HalfStorage", "BFloat16Storage", "LongStorage"):
    cls = type(name, (), {"__module__": "torch"})
    setattr(torch, name, cls)


class Storage:
    def __init__(self, kind, key, numel):
        self.kind, self.key, self.numel = kind, key, numel


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, tuple(size), tuple(stride), False, collections.OrderedDict())

    def __reduce_ex__(self, protocol):
        return (_rebuild_tensor_v2, self.args)


class Parameter(Tensor):
    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (Tensor(*self.args[:4]), True, collections.OrderedDict()))


class Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", getattr(torch, obj.kind), obj.key, "cpu", obj.numel)
        return None


def dump(path, obj, protocol=2):
    with open(path, "wb") as f:
        Pickler(f, protocol=protocol).dump(obj)


def state_dict():
    shared = Storage("FloatStorage", "0", 24)
    sd = collections.OrderedDict()
    sd["language_model.model.embed_tokens.weight"] = Tensor(shared, 0, [4, 6], [6, 1])
    sd["language_model.lm_head.weight"] = Tensor(shared, 0, [4, 6], [6, 1])  # tied: same storage
    sd["multi_modal_projector.linear_1.weight"] = Tensor(Storage("BFloat16Storage", "1", 12), 0, [3, 4], [4, 1])
    sd["x.scalar"] = Tensor(Storage("HalfStorage", "2", 1), 0, [], [])
    sd["x.view"] = Tensor(Storage("LongStorage", "3", 100000), 70000, [2, 3, 2, 2], [12, 4, 2, 1])
    sd["x.param"] = Parameter(Storage("FloatStorage", "4", 3), 0, [3], [1])
    sd._metadata = collections.OrderedDict([("", {"version": 1}), ("layer", {"version": 2})])
    return sd


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "corpus" / "pickle")
    out.mkdir(parents=True, exist_ok=True)
    dump(out / "state_dict_p2.pkl", state_dict())
    dump(out / "state_dict_p4.pkl", state_dict(), protocol=4)
    dump(out / "plain_dict_p2.pkl", dict(state_dict()))
