// Every bad input of `leopard-cli ask` ends with its documented exit code
// (see `leopard-cli ask --help`) and a message naming the problem.
#include <catch2/catch.hpp>

#include <fstream>
#include <unistd.h>

#include "cli_fixture.h"
#include "util/paths.h"

namespace fs = std::filesystem;
using leopard::test::CliFixture;

namespace {
bool mentions(const std::string& err, const std::string& what) { return err.find(what) != std::string::npos; }
}  // namespace

TEST_CASE("cli bad input: question, files, budget, notes path", "[cli]") {
    CliFixture f;
    const std::string png = f.png.string();

    auto r = f.run({"ask", png, "-q", ""});
    CHECK(r.exitCode == 2);
    CHECK(mentions(r.err, "question"));
    r = f.run({"ask", png});
    CHECK(r.exitCode == 2);
    CHECK(mentions(r.err, "question"));
    r = f.run({"ask", "-q", "q"});
    CHECK(r.exitCode == 2);
    CHECK(mentions(r.err, "files"));
    for (const char* budget : {"0", "-3"}) {
        r = f.run({"ask", png, "-q", "q", "--budget", budget});
        CHECK(r.exitCode == 2);
        CHECK(mentions(r.err, "budget"));
    }
    r = f.run({"ask", png, "-q", "q", "--notes", (f.dir / "missing" / "n.md").string()});
    CHECK(r.exitCode == 2);
    CHECK(mentions(r.err, "does not exist"));
    // Not writable: permission bits do not stop root, /proc does.
    fs::path ro = f.dir / "ro";
    fs::create_directory(ro);
    fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
    if (::geteuid() == 0) ro = "/proc";
    r = f.run({"ask", png, "-q", "q", "--notes", (ro / "n.md").string()});
    CHECK(r.exitCode == 2);
    CHECK(mentions(r.err, "n.md"));
    r = f.run({"ask", png, "-q", "q", "--session", (f.dir / "missing" / "s.json").string()});
    CHECK(r.exitCode == 2);
    fs::permissions(f.dir / "ro", fs::perms::owner_all);
}

TEST_CASE("cli bad input: files that fail, pages out of range, broken model folders", "[cli][slow]") {
    CliFixture f;
    const fs::path broken = f.dir / "broken.pdf", missing = f.dir / "missing.png";
    {
        std::ofstream(broken) << "%PDF-1.4 not really";
    }

    // Every file failing: exit 2, one line per file.
    auto r = f.run({"ask", broken.string(), missing.string(), "-q", "q"});
    CHECK(r.exitCode == 2);
    const size_t a = r.err.find("broken.pdf"), b = r.err.find("missing.png");
    REQUIRE(a != std::string::npos);
    REQUIRE(b != std::string::npos);
    CHECK(r.err.find('\n', a) < b);

    // Some failing: answered from the rest, the others named in warnings.
    r = f.run({"ask", broken.string(), f.png.string(), "-q", "q", "--json", "--max-new-tokens", "4"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(mentions(r.err, "warning: "));
    CHECK(mentions(r.err, "broken.pdf"));
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(j.at("sources").size() == 1);
    CHECK(mentions(j["warnings"][0].get<std::string>(), "broken.pdf"));

    // Pages out of range.
    r = f.run({"ask", f.pdf.string(), "--pages", "3", "-q", "q"});
    CHECK(r.exitCode == 2);
    CHECK(mentions(r.err, "report.pdf"));

    // Model folders without weights or tokenizer.
    const std::vector<std::vector<std::string>> removals = {{"model.safetensors"},
                                                            {"tokenizer.json", "tokenizer.model"}};
    for (const auto& remove : removals) {
        const fs::path copy = f.dir / ("model-without-" + remove.front());
        fs::copy(leopard::bundledModelDir(), copy, fs::copy_options::recursive);
        int removed = 0;
        for (const auto& name : remove) removed += fs::remove(copy / name) ? 1 : 0;
        REQUIRE(removed == 1);
        r = f.run({"ask", f.png.string(), "-q", "q", "--model", copy.string()});
        CHECK(r.exitCode == 2);
        CHECK(mentions(r.err, copy.string()));
    }
}

TEST_CASE("cli bad input: --help documents the exit codes and --pages", "[cli]") {
    CliFixture f;
    const auto r = f.run({"ask", "--help"});
    CHECK(r.exitCode == 0);
    CHECK(mentions(r.out, "Exit codes"));
    CHECK(mentions(r.out, "130"));
    CHECK(mentions(r.out, "before the first FILE"));
}
