// libFuzzer harness: the restricted unpickler on arbitrary bytes (the input
// is a data.pkl). It must either return tensor views that fit their
// storages or throw InputError — never crash, leak or read out of bounds.
#include <cstddef>
#include <cstdint>

#include "engine/restricted_unpickler.h"
#include "util/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        for (const auto& t : leopard::readStateDictPickle(data, size, "fuzz.pkl"))
            if (t.elementSize == 0 || t.sizes.size() != t.strides.size()) __builtin_trap();
    } catch (const leopard::InputError&) {
    }
    return 0;
}
