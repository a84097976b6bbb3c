#include "text/utf8.h"

namespace leopard::text {

namespace {

// Length of the valid UTF-8 sequence at text[pos], or 0 when invalid; for an
// invalid sequence, `subpart` receives the length of its maximal subpart
// (the bytes that form a valid prefix of some sequence, at least 1).
std::size_t sequenceAt(std::string_view text, std::size_t pos, std::size_t& subpart) {
    const auto b0 = static_cast<unsigned char>(text[pos]);
    subpart = 1;
    if (b0 < 0x80) return 1;
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        if (b0 == 0xE0) lo = 0xA0;        // overlong
        if (b0 == 0xED) hi = 0x9F;        // surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        if (b0 == 0xF0) lo = 0x90;        // overlong
        if (b0 == 0xF4) hi = 0x8F;        // above U+10FFFF
    } else {
        return 0;
    }
    for (std::size_t i = 1; i < len; ++i) {
        if (pos + i >= text.size()) return 0;
        const auto b = static_cast<unsigned char>(text[pos + i]);
        const unsigned char l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
        if (b < l || b > h) return 0;
        subpart = i + 1;
    }
    return len;
}

}  // namespace

std::size_t firstInvalidUtf8(std::string_view text) {
    std::size_t pos = 0, subpart = 0;
    while (pos < text.size()) {
        const std::size_t n = sequenceAt(text, pos, subpart);
        if (n == 0) return pos;
        pos += n;
    }
    return pos;
}

std::string toValidUtf8Lossy(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    std::size_t pos = 0, subpart = 0;
    while (pos < bytes.size()) {
        const std::size_t n = sequenceAt(bytes, pos, subpart);
        if (n > 0) {
            out.append(bytes.substr(pos, n));
            pos += n;
        } else {
            out.append("\xEF\xBF\xBD");
            pos += subpart;
        }
    }
    return out;
}

std::size_t completeUtf8Prefix(std::string_view bytes) {
    // Look at most 3 bytes back for the start of an unfinished sequence.
    const std::size_t n = bytes.size();
    for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
        const std::size_t start = n - back;
        const auto b = static_cast<unsigned char>(bytes[start]);
        if ((b & 0xC0) == 0x80) continue;  // continuation byte: keep looking
        std::size_t subpart = 0;
        const std::size_t len = sequenceAt(bytes, start, subpart);
        // Incomplete only if the bytes so far are a valid prefix that ran
        // out of input (not one that hit a wrong byte).
        if (len == 0 && subpart == back && b >= 0xC2 && b <= 0xF4) return start;
        return n;
    }
    return n;
}

char32_t nextCodePoint(std::string_view text, std::size_t& pos) {
    const auto b0 = static_cast<unsigned char>(text[pos]);
    if (b0 < 0x80) {
        ++pos;
        return b0;
    }
    const int len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2;
    char32_t cp = b0 & (0x7F >> len);
    for (int i = 1; i < len; ++i) cp = (cp << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3F);
    pos += len;
    return cp;
}

void appendUtf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

bool isUnicodeWhitespace(char32_t cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

}  // namespace leopard::text
