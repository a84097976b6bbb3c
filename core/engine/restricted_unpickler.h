// A restricted reader for the pickle inside torch.save archives: it accepts
// only what torch.save writes for a state dict and returns, per tensor, where
// its data lies in the archive — it never executes anything.
//
// Hand-written on purpose: LibTorch 1.13's torch::pickle_load fails on the
// OrderedDict state dicts that torch.save writes, and a general unpickler
// would call whatever global the file names (`os system` …), which is the
// classic way a downloaded .bin runs code. No Debian library offers a
// restricted one. Accepted:
//   opcodes  PROTO FRAME STOP MARK POP POP_MARK, EMPTY_DICT/LIST/TUPLE, TUPLE
//            TUPLE1-3, SETITEM(S), APPEND(S), BININT BININT1 BININT2 LONG1,
//            NONE NEWTRUE NEWFALSE BINFLOAT, BINUNICODE SHORT_BINUNICODE
//            BINUNICODE8, BINPUT LONG_BINPUT MEMOIZE BINGET LONG_BINGET,
//            GLOBAL STACK_GLOBAL (allowed names only), REDUCE (allowed
//            callables only), BINPERSID (torch storages only), BUILD
//            (its state is ignored: the state dict's `_metadata`).
//   globals  collections.OrderedDict, torch._utils._rebuild_tensor_v2,
//            torch._utils._rebuild_parameter, torch.<T>Storage.
// The top-level object must be a dict of string → tensor.
//
// This half is free of LibTorch so it can be fuzzed alone
// (fuzz/fuzz_unpickler.cpp); engine/torch_pickle.h reads the zip container
// and builds the tensors.
//
// Thread-safety: a pure function, safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace leopard {

// One tensor of a pickled state dict: a strided view of a storage record.
struct PickledTensor {
    std::string name;
    std::string storageType;  // "FloatStorage", "BFloat16Storage", …
    size_t elementSize = 0;   // bytes per element of that storage type
    std::string storageKey;   // the record "data/<key>" in the archive
    uint64_t storageNumel = 0;
    int64_t storageOffset = 0;  // in elements
    std::vector<int64_t> sizes;
    std::vector<int64_t> strides;
};

// Element size of a torch.<T>Storage type name; 0 when not allowed.
size_t storageElementSize(const std::string& storageType);

// Parses the pickle bytes of a torch.save'd state dict. Every view is
// checked to lie inside its storage (offset + extent ≤ numel). Throws
// InputError("<file>: <reason>") naming the refused opcode or global.
std::vector<PickledTensor> readStateDictPickle(const uint8_t* data, size_t size, const std::string& file);

}  // namespace leopard
