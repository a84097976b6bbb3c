// libFuzzer harness: the safetensors header parser on arbitrary bytes (the
// whole input is the file). It must either return descriptors that lie
// inside the file or throw InputError — never crash, leak or read out of
// bounds (AddressSanitizer watches every byte read).
#include <cstddef>
#include <cstdint>

#include "engine/safetensors_header.h"
#include "util/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const auto h = leopard::parseSafetensorsHeader(data, size, size, "fuzz.safetensors");
        for (const auto& t : h.tensors)
            if (t.begin > t.end || h.dataOffset + t.end > size) __builtin_trap();
    } catch (const leopard::InputError&) {
    }
    return 0;
}
