// `leopard-cli tokenize`: encode text with a model's tokenizer, decode ids,
// or measure encoding speed.
//
//   leopard-cli tokenize --tokenizer MODEL_DIR "Hello world"   # {"ids":[…],"tokens":[…]}
//   leopard-cli tokenize --tokenizer MODEL_DIR --file prompt.txt --add-special
//   leopard-cli tokenize --tokenizer MODEL_DIR --decode 9906,1917,0
//   leopard-cli tokenize --tokenizer tokenizer.json --bench 4   # MB/s on 4 MB of mixed text
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "util/command_line.h"
#include "text/tokenizer_factory.h"
#include "text/utf8.h"
#include "util/errors.h"

namespace {

struct Options {
    std::string tokenizer;
    std::string text;
    std::string file;
    std::string decode;
    bool addSpecial = false;
    bool skipSpecial = false;
    double benchMegabytes = 0;
};

std::vector<int32_t> parseIds(const std::string& list) {
    std::vector<int32_t> ids;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');) {
        try {
            std::size_t used = 0;
            const long value = std::stol(item, &used);
            if (used != item.size() || value < INT32_MIN || value > INT32_MAX) throw std::invalid_argument(item);
            ids.push_back(static_cast<int32_t>(value));
        } catch (const std::exception&) {
            throw leopard::InputError("--decode", "\"" + item + "\" is not a token id");
        }
    }
    return ids;
}

// Deterministic mixed text for the benchmark: English prose, source code
// and CJK, in roughly equal parts by bytes.
std::string benchmarkText(std::size_t bytes) {
    static const char* words[] = {"the", "revenue", "grew", "in", "quarter", "slide", "shows", "a", "of", "and",
                                  "market", "share", "compared", "to", "last", "year's", "results", "chart", "table",
                                  "document", "page", "total", "growth", "risk", "customer", "region", "is", "was"};
    static const char* code[] = {"for (int i = 0; i < n; ++i) {\n", "    total += values[i] * scale;\n", "}\n",
                                 "def parse_line(line):\n", "    return line.strip().split(',')\n",
                                 "if (!result.ok()) return Status::Error(\"bad input\");\n",
                                 "const auto it = cache.find(key);\n", "x = np.array([1.5, 2.25, -3e-4])\n"};
    std::mt19937 rng(7);
    std::string text;
    while (text.size() < bytes) {
        switch (rng() % 3) {
            case 0:
                for (int i = 0, n = 8 + static_cast<int>(rng() % 12); i < n; ++i)
                    text += std::string(i ? " " : "") + words[rng() % std::size(words)];
                text += std::to_string(rng() % 5000) + ". ";
                break;
            case 1:
                for (int i = 0; i < 4; ++i) text += code[rng() % std::size(code)];
                break;
            default:
                for (int i = 0, n = 10 + static_cast<int>(rng() % 20); i < n; ++i)
                    leopard::text::appendUtf8(text, 0x4E00 + rng() % 3000);  // common CJK ideographs
                text += rng() % 2 ? "\xE3\x80\x82" : "\xEF\xBC\x8C\n";       // 。 or ，
        }
    }
    return text;
}

void runBenchmark(const leopard::text::Tokenizer& tok, double megabytes) {
    const std::string text = benchmarkText(static_cast<std::size_t>(megabytes * 1e6));
    for (const char* pass : {"cold cache", "warm cache"}) {
        // CPU time next to wall time: on a shared machine the wall clock
        // also counts other processes' turns.
        const auto start = std::chrono::steady_clock::now();
        const std::clock_t cpuStart = std::clock();
        const auto ids = tok.encode(text, false);
        const double cpu = static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double mb = text.size() / 1e6;
        std::printf("encode %.2f MB mixed English/code/CJK (%s, 1 thread): %zu tokens, wall %.3f s = %.2f MB/s, "
                    "cpu %.3f s = %.2f MB/s\n",
                    mb, pass, ids.size(), wall, mb / wall, cpu, mb / cpu);
    }
}

leopard::cli::Registrar reg("tokenize", 60, [](CLI::App& app) {
    static Options opt;
    auto* cmd = app.add_subcommand("tokenize", "Encode text with a model's tokenizer, decode ids, or benchmark it");
    cmd->add_option("--tokenizer", opt.tokenizer, "Model folder, tokenizer.json or tokenizer.model")->required();
    static CLI::Option* textOption = cmd->add_option("text", opt.text, "Text to encode");
    cmd->add_option("--file", opt.file, "Encode this file's exact bytes instead");
    cmd->add_option("--decode", opt.decode, "Comma-separated ids to decode");
    cmd->add_flag("--add-special", opt.addSpecial, "Apply the post-processor (e.g. BOS)");
    cmd->add_flag("--skip-special", opt.skipSpecial, "With --decode: leave special tokens out");
    cmd->add_option("--bench", opt.benchMegabytes, "Measure encoding speed on this many MB of generated text");
    cmd->callback([] {
        const auto tok = leopard::text::loadTokenizer(opt.tokenizer);
        if (opt.benchMegabytes > 0) {
            runBenchmark(*tok, opt.benchMegabytes);
            return;
        }
        if (!opt.decode.empty()) {
            std::printf("%s\n", tok->decode(parseIds(opt.decode), opt.skipSpecial).c_str());
            return;
        }
        std::string text = opt.text;
        if (!opt.file.empty()) {
            std::ifstream in(opt.file, std::ios::binary);
            if (!in) throw leopard::InputError(opt.file, "cannot open");
            std::ostringstream s;
            s << in.rdbuf();
            text = s.str();
        } else if (textOption->count() == 0) {
            throw leopard::InputError("tokenize", "give TEXT, --file, --decode or --bench");
        }
        nlohmann::json out = {{"ids", tok->encode(text, opt.addSpecial)}, {"tokens", nlohmann::json::array()}};
        for (int32_t id : out["ids"].get<std::vector<int32_t>>()) out["tokens"].push_back(tok->idToToken(id));
        std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    });
});

}  // namespace
