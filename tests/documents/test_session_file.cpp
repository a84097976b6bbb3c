// Session files: a conversation written to disk and read back the same,
// absolute source paths, refusing files that are not sessions.
#include <catch2/catch.hpp>

#include <fstream>

#include <QDir>

#include "documents/session_file.h"
#include "test_paths.h"
#include "util/errors.h"

namespace fs = std::filesystem;
using leopard::test::TempDir;

TEST_CASE("session file: a missing file is a new session", "[session]") {
    TempDir dir;
    const auto s = leopard::loadSession(dir / "none.json");
    CHECK(s.sources.empty());
    CHECK(s.turns.empty());
}

TEST_CASE("session file: round trip keeps sources, pages and turns", "[session]") {
    TempDir dir;
    leopard::SessionData s;
    s.model = "/models/tiny";
    s.sources = {{QString::fromStdString((dir / "a.pdf").string()), "3,1"},
                 {QString::fromStdString((dir / "ü b.png").string()), ""}};
    s.turns = {{"What is it?", "A chart.", leopard::FinishReason::EndOfTurn},
               {"And then?", "It gr", leopard::FinishReason::Cancelled}};
    leopard::saveSession(dir / "s.json", s);

    const auto r = leopard::loadSession(dir / "s.json");
    CHECK(r.model == s.model);
    REQUIRE(r.sources.size() == 2);
    CHECK(r.sources[0] == s.sources[0]);
    CHECK(r.sources[1] == s.sources[1]);
    REQUIRE(r.turns.size() == 2);
    CHECK(r.turns[1].question == "And then?");
    CHECK(r.turns[1].answer == "It gr");
    CHECK(r.turns[1].finishReason == leopard::FinishReason::Cancelled);
}

TEST_CASE("session file: relative source paths are stored absolute", "[session]") {
    TempDir dir;
    leopard::SessionData s;
    s.sources = {{"relative/a.pdf", ""}};
    leopard::saveSession(dir / "s.json", s);
    const auto r = leopard::loadSession(dir / "s.json");
    REQUIRE(r.sources.size() == 1);
    CHECK(QDir::isAbsolutePath(r.sources[0].path));
    CHECK(r.sources[0].path.endsWith("relative/a.pdf"));
}

TEST_CASE("session file: other JSON and unwritable places are input errors", "[session]") {
    TempDir dir;
    std::ofstream(dir / "other.json") << R"({"hello": 1})";
    std::ofstream(dir / "broken.json") << "{";
    CHECK_THROWS_AS(leopard::loadSession(dir / "other.json"), leopard::InputError);
    CHECK_THROWS_AS(leopard::loadSession(dir / "broken.json"), leopard::InputError);
    CHECK_THROWS_AS(leopard::checkSessionTarget(dir / "missing" / "s.json"), leopard::InputError);
    CHECK_THROWS_AS(leopard::saveSession(dir / "missing" / "s.json", {}), leopard::InputError);
    CHECK_NOTHROW(leopard::checkSessionTarget(dir / "s.json"));
}
