#include "text/byte_level.h"

#include <array>

#include "text/utf8.h"

namespace leopard::text {

namespace {

struct Tables {
    std::array<char32_t, 256> toUnicode{};
    std::array<std::int16_t, 324> toByte{};  // code points < 324 only; -1 = none

    Tables() {
        toByte.fill(-1);
        // Bytes that are printable keep their own code point; the others are
        // assigned 256, 257, ... in byte order (GPT-2's bytes_to_unicode).
        char32_t next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            toUnicode[b] = printable ? static_cast<char32_t>(b) : next++;
            toByte[toUnicode[b]] = static_cast<std::int16_t>(b);
        }
    }
};

const Tables& tables() {
    static const Tables t;
    return t;
}

}  // namespace

char32_t byteToUnicode(std::uint8_t byte) { return tables().toUnicode[byte]; }

std::optional<std::uint8_t> unicodeToByte(char32_t cp) {
    if (cp >= tables().toByte.size() || tables().toByte[cp] < 0) return std::nullopt;
    return static_cast<std::uint8_t>(tables().toByte[cp]);
}

std::string bytesToByteLevel(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (char c : bytes) appendUtf8(out, byteToUnicode(static_cast<std::uint8_t>(c)));
    return out;
}

std::string byteLevelToBytes(std::string_view token) {
    std::string out;
    out.reserve(token.size());
    std::size_t pos = 0;
    while (pos < token.size()) {
        const auto b = unicodeToByte(nextCodePoint(token, pos));
        if (!b) return std::string(token);
        out.push_back(static_cast<char>(*b));
    }
    return out;
}

}  // namespace leopard::text
