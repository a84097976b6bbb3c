// `leopard-cli ask` end to end with the bundled placeholder model: streamed
// answers, the JSON result, page selections, the prompt, model resolution.
#include <catch2/catch.hpp>

#include <fstream>

#include "cli_fixture.h"
#include "util/paths.h"

namespace fs = std::filesystem;
using leopard::test::CliFixture;
using leopard::test::CliOptions;

namespace {

std::vector<std::pair<std::string, int>> pagesOf(const nlohmann::json& j) {
    std::vector<std::pair<std::string, int>> out;
    for (const auto& s : j.at("sources")) out.emplace_back(fs::path(s.at("file").get<std::string>()).filename(), s.at("page"));
    return out;
}

using Pages = std::vector<std::pair<std::string, int>>;

}  // namespace

TEST_CASE("cli ask: a PDF and an image stream the answer that --json reports", "[cli][slow]") {
    CliFixture f;
    const std::vector<std::string> args{"ask", f.pdf.string(), f.png.string(), "-q", "What is the budget?",
                                        "--max-new-tokens", "8", "--ignore-eos"};
    const auto streamed = f.run(args);
    INFO(streamed.err);
    REQUIRE(streamed.exitCode == 0);
    REQUIRE(streamed.out.size() >= 1);
    CHECK(streamed.out.back() == '\n');

    auto jsonArgs = args;
    jsonArgs.push_back("--json");
    const auto r = f.run(jsonArgs);
    REQUIRE(r.exitCode == 0);
    const auto j = nlohmann::json::parse(r.out);
    // Greedy decoding: the same answer, streamed or not.
    CHECK(streamed.out == j.at("answer").get<std::string>() + "\n");
    CHECK(j.at("finish_reason") == "max_tokens");
    CHECK(j.at("timings").at("generated_tokens") == 8);
    CHECK(pagesOf(j) == Pages{{"report.pdf", 1}, {"report.pdf", 2}, {"before.png", 1}});
    int tiles = 0, image = 0;
    for (const auto& s : j.at("sources")) {
        CHECK(s.at("image") == ++image);
        CHECK(s.at("tiles").get<int>() >= 1);
        tiles += s.at("tiles").get<int>();
    }
    CHECK(tiles <= 50);
    CHECK(j.at("tiles_encoded") == tiles);
    CHECK(j.at("model") == "default");
    CHECK(j.at("device") == "cpu");
    CHECK(j.at("dtype") == "float32");
    for (const char* t : {"render_s", "encode_s", "prefill_s", "decode_s", "tokens_per_s"})
        CHECK(j.at("timings").contains(t));
    // Not a terminal: no progress on stderr.
    CHECK(r.err.find("rendering") == std::string::npos);
}

TEST_CASE("cli ask: --pages applies to the file before it, or to all files before the first", "[cli][slow]") {
    CliFixture f;
    const fs::path other = f.dir / "other.pdf";
    leopard::test::makePdf(other, {"one", "two", "three"});

    CHECK(pagesOf(f.json({"ask", f.pdf.string(), "--pages", "2", other.string(), "-q", "q"})) ==
          Pages{{"report.pdf", 2}, {"other.pdf", 1}, {"other.pdf", 2}, {"other.pdf", 3}});
    CHECK(pagesOf(f.json({"ask", "--pages", "2", f.pdf.string(), other.string(), "-q", "q"})) ==
          Pages{{"report.pdf", 2}, {"other.pdf", 2}});
    CHECK(pagesOf(f.json({"ask", "--pages", "1", f.pdf.string(), other.string(), "--pages", "3,2", "-q", "q"})) ==
          Pages{{"report.pdf", 1}, {"other.pdf", 3}, {"other.pdf", 2}});
}

TEST_CASE("cli ask: --print-prompt shows the labelled image blocks and the question", "[cli][slow]") {
    CliFixture f;
    const auto r = f.run({"ask", f.pdf.string(), "--pages", "1", f.png.string(), "-q", "Where?", "--print-prompt"});
    REQUIRE(r.exitCode == 0);
    const size_t one = r.out.find("image 1: <|image_begin|><|image|>");
    const size_t two = r.out.find("image 2: <|image_begin|><|image|>");
    REQUIRE(one != std::string::npos);
    REQUIRE(two != std::string::npos);
    CHECK(one < two);
    CHECK(r.out.find("image 3:") == std::string::npos);
    CHECK(r.out.find("Where?") > two);
}

TEST_CASE("cli ask: the model comes from --model, LEOPARD_MODEL, the settings file, the bundle", "[cli][slow]") {
    CliFixture f;
    for (const char* name : {"from-flag", "from-env", "from-settings"})
        fs::copy(leopard::bundledModelDir(), f.dir / name, fs::copy_options::recursive);
    const std::vector<std::string> ask{"ask", f.png.string(), "-q", "q"};

    CHECK(f.json(ask).at("model") == "default");

    fs::create_directories(f.config / "Leopard Desk");
    std::ofstream(f.config / "Leopard Desk" / "leopard.ini") << "[model]\npath=" << (f.dir / "from-settings").string()
                                                                << "\n";
    CHECK(f.json(ask).at("model") == "from-settings");

    CliOptions env;
    env.env["LEOPARD_MODEL"] = (f.dir / "from-env").string();
    CHECK(f.json(ask, env).at("model") == "from-env");

    auto withFlag = ask;
    withFlag.insert(withFlag.end(), {"--model", (f.dir / "from-flag").string()});
    CHECK(f.json(withFlag, env).at("model") == "from-flag");
}
