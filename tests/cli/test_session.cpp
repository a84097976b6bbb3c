// `leopard-cli ask --session FILE.json`: a conversation kept on disk and
// continued by a later call (the cache is rebuilt in the new process; the
// ask API's tests show follow-ups within one process encode nothing again).
#include <catch2/catch.hpp>

#include "cli_fixture.h"

namespace fs = std::filesystem;
using leopard::test::CliFixture;

TEST_CASE("cli session: a later call continues the conversation", "[cli][slow]") {
    CliFixture f;
    const std::string session = (f.dir / "chat.json").string();
    const auto first = f.json({"ask", "--session", session, f.pdf.string(), f.png.string(), "-q", "First question?"});
    CHECK(first.at("turn") == 1);

    // No files: the session's sources are used; the earlier turn is in the prompt.
    const auto prompt = f.run({"ask", "--session", session, "-q", "Second question?", "--print-prompt"});
    REQUIRE(prompt.exitCode == 0);
    const size_t q1 = prompt.out.find("First question?");
    REQUIRE(q1 != std::string::npos);
    CHECK(prompt.out.find(first.at("answer").get<std::string>(), q1) != std::string::npos);
    CHECK(prompt.out.find("Second question?") > q1);
    CHECK(prompt.out.find("image 3: ") != std::string::npos);

    const auto second = f.json({"ask", "--session", session, "-q", "Second question?"});
    CHECK(second.at("turn") == 2);
    CHECK(second.at("sources") == first.at("sources"));
    CHECK(second.at("timings").at("prompt_tokens").get<int>() > first.at("timings").at("prompt_tokens").get<int>());

    const auto saved = nlohmann::json::parse(leopard::test::readText(session));
    REQUIRE(saved.at("turns").size() == 2);
    CHECK(saved["turns"][0]["question"] == "First question?");
    CHECK(saved["turns"][0]["answer"] == first.at("answer"));
    CHECK(saved["turns"][1]["answer"] == second.at("answer"));
    REQUIRE(saved.at("sources").size() == 2);
    CHECK(saved["sources"][0]["file"] == fs::absolute(f.pdf).string());

    // New files replace the sources; the conversation goes on.
    const auto third = f.json({"ask", "--session", session, f.png2.string(), "-q", "Third?"});
    CHECK(third.at("turn") == 3);
    REQUIRE(third.at("sources").size() == 1);
}
