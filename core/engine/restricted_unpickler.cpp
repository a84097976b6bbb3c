#include "engine/restricted_unpickler.h"

#include <cstdio>
#include <cstring>
#include <set>
#include <unordered_map>

#include "util/errors.h"

namespace leopard {
namespace {

// Pickle opcodes (Python's Lib/pickle.py names).
enum Op : uint8_t {
    MARK = '(', STOP = '.', POP = '0', POP_MARK = '1', BININT = 'J', BININT1 = 'K', BININT2 = 'M',
    NONE = 'N', BINPERSID = 'Q', REDUCE = 'R', BINUNICODE = 'X', APPEND = 'a', BUILD = 'b',
    GLOBAL = 'c', APPENDS = 'e', BINGET = 'h', LONG_BINGET = 'j', EMPTY_LIST = ']', BINPUT = 'q',
    LONG_BINPUT = 'r', SETITEM = 's', TUPLE = 't', EMPTY_TUPLE = ')', SETITEMS = 'u', BINFLOAT = 'G',
    EMPTY_DICT = '}', PROTO = 0x80, TUPLE1 = 0x85, TUPLE2 = 0x86, TUPLE3 = 0x87, NEWTRUE = 0x88,
    NEWFALSE = 0x89, LONG1 = 0x8a, SHORT_BINUNICODE = 0x8c, BINUNICODE8 = 0x8d, STACK_GLOBAL = 0x93,
    MEMOIZE = 0x94, FRAME = 0x95,
};

enum class Kind { None, Bool, Int, Float, Str, Tuple, List, Dict, Global, Storage, Tensor };

// Values live in one arena and refer to each other by index, so a hostile
// pickle that puts a dict inside itself makes no reference cycle to leak.
struct Value {
    Kind kind = Kind::None;
    int64_t i = 0;       // Int, Bool
    std::string s;       // Str; Global "module.name"
    std::vector<size_t> items;  // Tuple, List; Dict as key, value, key, value …
    PickledTensor tensor;       // Storage (storage fields), Tensor
};

constexpr const char* kOrderedDict = "collections.OrderedDict";
constexpr const char* kRebuildTensor = "torch._utils._rebuild_tensor_v2";
constexpr const char* kRebuildParameter = "torch._utils._rebuild_parameter";

struct StorageType {
    const char* name;
    size_t size;
};
constexpr StorageType kStorageTypes[] = {
    {"DoubleStorage", 8}, {"FloatStorage", 4}, {"HalfStorage", 2}, {"BFloat16Storage", 2},
    {"LongStorage", 8},   {"IntStorage", 4},   {"ShortStorage", 2}, {"CharStorage", 1},
    {"ByteStorage", 1},   {"BoolStorage", 1},
};

bool allowedGlobal(const std::string& g) {
    if (g == kOrderedDict || g == kRebuildTensor || g == kRebuildParameter) return true;
    return g.rfind("torch.", 0) == 0 && storageElementSize(g.substr(6)) != 0;
}

class Unpickler {
public:
    Unpickler(const uint8_t* data, size_t size, const std::string& file) : p_(data), size_(size), file_(file) {}

    std::vector<PickledTensor> run() {
        for (;;) {
            const size_t at = pos_;
            const uint8_t op = u8();
            if (op == STOP) break;
            step(op, at);
        }
        if (stack_.empty()) fail("pickle ends with an empty stack");
        return stateDict(stack_.back());
    }

private:
    [[noreturn]] void fail(const std::string& why) const { throw InputError(file_, why); }

    void need(size_t n) const {
        if (n > size_ - pos_) fail("truncated pickle (needs " + std::to_string(n) + " more bytes at byte " +
                                   std::to_string(pos_) + ")");
    }
    uint8_t u8() {
        need(1);
        return p_[pos_++];
    }
    uint64_t le(size_t n) {
        need(n);
        uint64_t v = 0;
        for (size_t k = 0; k < n; ++k) v |= static_cast<uint64_t>(p_[pos_ + k]) << (8 * k);
        pos_ += n;
        return v;
    }
    std::string bytes(uint64_t n) {
        need(n);
        std::string s(reinterpret_cast<const char*>(p_ + pos_), n);
        pos_ += n;
        return s;
    }
    std::string line() {
        const void* nl = std::memchr(p_ + pos_, '\n', size_ - pos_);
        if (!nl) fail("truncated pickle (unterminated GLOBAL)");
        const size_t n = static_cast<const uint8_t*>(nl) - (p_ + pos_);
        std::string s = bytes(n);
        ++pos_;
        return s;
    }

    size_t make(Value v) {
        arena_.push_back(std::move(v));
        return arena_.size() - 1;
    }
    void push(Value v) { stack_.push_back(make(std::move(v))); }
    size_t pop() {
        if (stack_.size() <= floor()) fail("malformed pickle (stack underflow)");
        const size_t v = stack_.back();
        stack_.pop_back();
        return v;
    }
    size_t top() const {
        if (stack_.size() <= floor()) fail("malformed pickle (stack underflow)");
        return stack_.back();
    }
    size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
    std::vector<size_t> popMark() {
        if (marks_.empty()) fail("malformed pickle (no MARK)");
        std::vector<size_t> items(stack_.begin() + static_cast<std::ptrdiff_t>(marks_.back()), stack_.end());
        stack_.resize(marks_.back());
        marks_.pop_back();
        return items;
    }
    Value& at(size_t idx) { return arena_[idx]; }

    void pushTuple(std::vector<size_t> items) {
        Value v;
        v.kind = Kind::Tuple;
        v.items = std::move(items);
        push(std::move(v));
    }
    void pushInt(int64_t i, Kind k = Kind::Int) {
        Value v;
        v.kind = k;
        v.i = i;
        push(std::move(v));
    }
    void pushStr(std::string s) {
        Value v;
        v.kind = Kind::Str;
        v.s = std::move(s);
        push(std::move(v));
    }
    void pushGlobal(const std::string& module, const std::string& name) {
        const std::string g = module + "." + name;
        if (!allowedGlobal(g))
            fail("refusing pickle global '" + g +
                 "': only torch state dicts are read (nothing in the file was executed)");
        Value v;
        v.kind = Kind::Global;
        v.s = g;
        push(std::move(v));
    }
    void memoPut(uint64_t key) { memo_[key] = top(); }
    void memoGet(uint64_t key) {
        const auto it = memo_.find(key);
        if (it == memo_.end()) fail("malformed pickle (memo key " + std::to_string(key) + " unset)");
        stack_.push_back(it->second);
    }

    void step(uint8_t op, size_t opAt) {
        switch (op) {
        case PROTO:
            if (u8() > 5) fail("unsupported pickle protocol");
            return;
        case FRAME: le(8); return;  // framing is only a read-ahead hint
        case MARK: marks_.push_back(stack_.size()); return;
        case POP: pop(); return;
        case POP_MARK: popMark(); return;
        case NONE: push(Value{}); return;
        case NEWTRUE: pushInt(1, Kind::Bool); return;
        case NEWFALSE: pushInt(0, Kind::Bool); return;
        case BININT: pushInt(static_cast<int32_t>(le(4))); return;
        case BININT1: pushInt(static_cast<int64_t>(le(1))); return;
        case BININT2: pushInt(static_cast<int64_t>(le(2))); return;
        case LONG1: {
            const uint8_t n = u8();
            if (n > 8) fail("pickle integer wider than 64 bits");
            uint64_t v = le(n);
            if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t(0) << (8 * n);  // sign-extend
            pushInt(static_cast<int64_t>(v));
            return;
        }
        case BINFLOAT: {
            need(8);
            uint64_t bits = 0;
            for (int k = 0; k < 8; ++k) bits = (bits << 8) | p_[pos_ + k];  // big-endian
            pos_ += 8;
            Value v;
            v.kind = Kind::Float;
            std::memcpy(&v.i, &bits, 8);
            push(std::move(v));
            return;
        }
        case SHORT_BINUNICODE: pushStr(bytes(le(1))); return;
        case BINUNICODE: pushStr(bytes(le(4))); return;
        case BINUNICODE8: pushStr(bytes(le(8))); return;
        case EMPTY_TUPLE: pushTuple({}); return;
        case TUPLE: pushTuple(popMark()); return;
        case TUPLE1:
        case TUPLE2:
        case TUPLE3: {
            std::vector<size_t> items(static_cast<size_t>(op - TUPLE1 + 1));
            for (auto it = items.rbegin(); it != items.rend(); ++it) *it = pop();
            pushTuple(std::move(items));
            return;
        }
        case EMPTY_LIST:
        case EMPTY_DICT: {
            Value v;
            v.kind = op == EMPTY_LIST ? Kind::List : Kind::Dict;
            push(std::move(v));
            return;
        }
        case APPEND: {
            const size_t v = pop();
            container(Kind::List).push_back(v);
            return;
        }
        case APPENDS: {
            auto items = popMark();
            auto& list = container(Kind::List);
            list.insert(list.end(), items.begin(), items.end());
            return;
        }
        case SETITEM: {
            const size_t v = pop(), k = pop();
            auto& dict = container(Kind::Dict);
            dict.push_back(k);
            dict.push_back(v);
            return;
        }
        case SETITEMS: {
            auto items = popMark();
            if (items.size() % 2) fail("malformed pickle (SETITEMS with an odd number of items)");
            auto& dict = container(Kind::Dict);
            dict.insert(dict.end(), items.begin(), items.end());
            return;
        }
        case BINPUT: memoPut(le(1)); return;
        case LONG_BINPUT: memoPut(le(4)); return;
        case MEMOIZE: memoPut(memo_.size()); return;
        case BINGET: memoGet(le(1)); return;
        case LONG_BINGET: memoGet(le(4)); return;
        case GLOBAL: {
            const std::string module = line();
            pushGlobal(module, line());
            return;
        }
        case STACK_GLOBAL: {
            const size_t name = pop(), module = pop();
            if (at(name).kind != Kind::Str || at(module).kind != Kind::Str)
                fail("malformed pickle (STACK_GLOBAL needs two strings)");
            const std::string m = at(module).s, n = at(name).s;
            pushGlobal(m, n);
            return;
        }
        case BINPERSID: stack_.push_back(make(storage(pop()))); return;
        case REDUCE: {
            const size_t args = pop(), fn = pop();
            stack_.push_back(reduce(fn, args));
            return;
        }
        case BUILD:
            // The only BUILD torch.save writes for a state dict sets the
            // OrderedDict's `_metadata` (module versions), which loading
            // does not need.
            pop();
            if (at(top()).kind != Kind::Dict) fail("refusing pickle BUILD on anything but a dict");
            return;
        default: {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", op);
            fail(std::string("refusing pickle opcode ") + hex + " at byte " + std::to_string(opAt) +
                 ": not part of a torch state dict");
        }
        }
    }

    std::vector<size_t>& container(Kind kind) {
        Value& v = at(top());
        if (v.kind != kind) fail("malformed pickle (item added to a non-container)");
        return v.items;
    }

    int64_t intOf(size_t idx, const char* what) {
        const Value& v = at(idx);
        if (v.kind != Kind::Int && v.kind != Kind::Bool) fail(std::string("malformed tensor record: ") + what + " is not an integer");
        return v.i;
    }
    std::vector<int64_t> intsOf(size_t idx, const char* what) {
        if (at(idx).kind != Kind::Tuple) fail(std::string("malformed tensor record: ") + what + " is not a tuple");
        std::vector<int64_t> out;
        for (size_t item : at(idx).items) out.push_back(intOf(item, what));
        return out;
    }

    // ('storage', torch.<T>Storage, key, location, numel) → a storage.
    Value storage(size_t pid) {
        const Value& t = at(pid);
        if (t.kind != Kind::Tuple || t.items.size() != 5 || at(t.items[0]).kind != Kind::Str ||
            at(t.items[0]).s != "storage" || at(t.items[1]).kind != Kind::Global ||
            at(t.items[2]).kind != Kind::Str || at(t.items[3]).kind != Kind::Str)
            fail("refusing pickle persistent id that is not a torch storage");
        Value v;
        v.kind = Kind::Storage;
        const std::string& type = at(t.items[1]).s;
        v.tensor.storageType = type.rfind("torch.", 0) == 0 ? type.substr(6) : type;
        v.tensor.elementSize = storageElementSize(v.tensor.storageType);
        if (v.tensor.elementSize == 0) fail("refusing storage type '" + type + "'");
        v.tensor.storageKey = at(t.items[2]).s;
        if (v.tensor.storageKey.empty() || v.tensor.storageKey.size() > 64 ||
            v.tensor.storageKey.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_") !=
                std::string::npos)
            fail("malformed storage key in pickle");
        const int64_t numel = intOf(t.items[4], "storage size");
        if (numel < 0) fail("negative storage size in pickle");
        v.tensor.storageNumel = static_cast<uint64_t>(numel);
        return v;
    }

    size_t reduce(size_t fn, size_t argsIdx) {
        if (at(fn).kind != Kind::Global) fail("refusing pickle REDUCE on a non-global");
        if (at(argsIdx).kind != Kind::Tuple) fail("malformed pickle (REDUCE arguments are not a tuple)");
        const std::string name = at(fn).s;
        const std::vector<size_t> args = at(argsIdx).items;
        if (name == kOrderedDict) {
            if (!args.empty()) fail("refusing OrderedDict built from arguments");
            Value v;
            v.kind = Kind::Dict;
            return make(std::move(v));
        }
        if (name == kRebuildTensor) {
            // (storage, offset, size, stride, requires_grad, backward_hooks[, metadata])
            if (args.size() < 6 || args.size() > 7 || at(args[0]).kind != Kind::Storage)
                fail("malformed _rebuild_tensor_v2 arguments");
            Value v;
            v.kind = Kind::Tensor;
            v.tensor = at(args[0]).tensor;
            v.tensor.storageOffset = intOf(args[1], "storage offset");
            v.tensor.sizes = intsOf(args[2], "size");
            v.tensor.strides = intsOf(args[3], "stride");
            checkView(v.tensor);
            return make(std::move(v));
        }
        if (name == kRebuildParameter) {
            // (data, requires_grad, backward_hooks): the data is the tensor.
            if (args.size() != 3 || at(args[0]).kind != Kind::Tensor) fail("malformed _rebuild_parameter arguments");
            return args[0];
        }
        fail("refusing to call pickle global '" + name + "'");
    }

    void checkView(const PickledTensor& t) {
        if (t.sizes.size() != t.strides.size() || t.sizes.size() > 64) fail("tensor sizes and strides disagree");
        if (t.storageOffset < 0) fail("negative storage offset in pickle");
        unsigned __int128 extent = 1;  // highest element index reached + 1
        for (size_t d = 0; d < t.sizes.size(); ++d) {
            if (t.sizes[d] < 0 || t.strides[d] < 0) fail("negative tensor size or stride in pickle");
            if (t.sizes[d] == 0) return;  // an empty tensor reads nothing
            extent += static_cast<unsigned __int128>(t.sizes[d] - 1) * static_cast<uint64_t>(t.strides[d]);
            if (extent >> 64) fail("tensor view too large");
        }
        if (extent + static_cast<uint64_t>(t.storageOffset) > t.storageNumel)
            fail("tensor view reaches past its storage (" + std::to_string(t.storageNumel) + " elements)");
    }

    std::vector<PickledTensor> stateDict(size_t rootIdx) {
        const Value& root = at(rootIdx);
        if (root.kind != Kind::Dict) fail("pickle is not a state dict (top-level object is not a dict)");
        std::vector<PickledTensor> out;
        std::set<std::string> names;
        for (size_t k = 0; k + 1 < root.items.size(); k += 2) {
            const Value& key = at(root.items[k]);
            const Value& val = at(root.items[k + 1]);
            if (key.kind != Kind::Str) fail("state dict key is not a string");
            if (val.kind != Kind::Tensor) fail("state dict entry '" + key.s + "' is not a tensor");
            if (!names.insert(key.s).second) fail("state dict has '" + key.s + "' twice");
            out.push_back(val.tensor);
            out.back().name = key.s;
        }
        return out;
    }

    const uint8_t* p_;
    size_t size_;
    size_t pos_ = 0;
    std::string file_;
    std::vector<Value> arena_;
    std::vector<size_t> stack_;
    std::vector<size_t> marks_;
    std::unordered_map<uint64_t, size_t> memo_;
};

}  // namespace

size_t storageElementSize(const std::string& storageType) {
    for (const auto& t : kStorageTypes)
        if (storageType == t.name) return t.size;
    return 0;
}

std::vector<PickledTensor> readStateDictPickle(const uint8_t* data, size_t size, const std::string& file) {
    return Unpickler(data, size, file).run();
}

}  // namespace leopard
