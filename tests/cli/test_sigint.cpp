// Ctrl-C during generation: the answer stops cleanly, what was streamed stays
// on stdout, notes and session keep the partial answer, exit code 130.
#include <catch2/catch.hpp>

#include <csignal>

#include "cli_fixture.h"

namespace fs = std::filesystem;
using leopard::test::CliFixture;
using leopard::test::CliOptions;

TEST_CASE("cli SIGINT: generation stops, the partial answer is kept and saved", "[cli][slow]") {
    CliFixture f;
    const fs::path notes = f.dir / "notes.md", session = f.dir / "chat.json";
    bool sent = false;
    CliOptions o;
    o.onStdout = [&](pid_t pid, const std::string& out) {
        if (!sent && !out.empty()) {
            ::kill(pid, SIGINT);
            sent = true;
        }
    };
    // Sampling through end tokens: runs for minutes unless interrupted.
    const auto r = f.run({"ask", f.png.string(), "-q", "Tell me everything.", "--max-new-tokens", "30000",
                          "--ignore-eos", "--temperature", "1", "--seed", "7", "--notes", notes.string(),
                          "--session", session.string()},
                         o);
    INFO(r.err);
    REQUIRE(sent);
    CHECK(r.exitCode == 130);
    CHECK(r.err.find("interrupted") != std::string::npos);
    REQUIRE(r.out.size() > 1);
    CHECK(r.out.back() == '\n');

    const auto saved = nlohmann::json::parse(leopard::test::readText(session));
    REQUIRE(saved.at("turns").size() == 1);
    CHECK(saved["turns"][0]["stop_reason"] == "cancelled");
    // Everything streamed is in the saved answer, and nothing else.
    CHECK(saved["turns"][0]["answer"].get<std::string>() + "\n" == r.out);
    CHECK(leopard::test::readText(notes).find("partial") != std::string::npos);
}
