// The GPT-2 / Hugging Face "ByteLevel" byte <-> unicode mapping: every byte
// is shown as one printable code point so that byte-level BPE vocabularies
// can be stored as JSON strings (space 0x20 becomes "Ġ" U+0120, newline
// becomes "Ċ" U+010A, printable ASCII and most Latin-1 map to themselves).
//
// Pure functions over a constant table; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leopard::text {

// The code point that stands for `byte`.
char32_t byteToUnicode(std::uint8_t byte);

// The byte a code point stands for, or nothing when it is not one of the 256.
std::optional<std::uint8_t> unicodeToByte(char32_t cp);

// Maps raw bytes to their UTF-8 encoded byte-level string.
std::string bytesToByteLevel(std::string_view bytes);

// Inverse of bytesToByteLevel as Hugging Face's ByteLevel decoder does it: if
// every code point of `token` is one of the 256, the bytes they stand for;
// otherwise the token's own UTF-8 bytes (added tokens such as "\t\t").
// Precondition: token is valid UTF-8.
std::string byteLevelToBytes(std::string_view token);

}  // namespace leopard::text
