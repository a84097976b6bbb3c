// Office documents through LibreOffice: conversion into the content-hash
// cache, a missing LibreOffice, a failing and a hanging one (fake `soffice`
// scripts), and real PPTX/ODP decks made by the test ([slow]).
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

#include <QDir>
#include <QFile>

#include "documents/document_source.h"
#include "documents/office_converter.h"
#include "fixtures.h"
#include "test_paths.h"
#include "test_skip.h"
#include "util/errors.h"

using namespace leopard;
using namespace leopard::test;
using Catch::Matchers::Contains;

namespace {

std::filesystem::path writeScript(const std::filesystem::path& path, const std::string& body) {
    std::ofstream(path) << "#!/bin/sh\n" << body;
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path;
}

// A fake soffice that counts its runs and "converts" by copying `pdf`.
std::filesystem::path fakeConverter(const TempDir& dir, const std::filesystem::path& pdf) {
    return writeScript(dir / "soffice",
                       "echo run >> '" + (dir / "runs").string() + "'\n"
                       "prev=; for a in \"$@\"; do [ \"$prev\" = --outdir ] && out=$a; prev=$a; done\n"
                       "cp '" + pdf.string() + "' \"$out/document.pdf\"\n");
}

int runs(const TempDir& dir) {
    std::ifstream in(dir / "runs");
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
}

const QByteArray kZipHead("PK\x03\x04 fake office content", 25);

}  // namespace

TEST_CASE("office documents are converted once per content", "[office]") {
    TempDir dir;
    writePdf(dir / "converted.pdf", {{"Slide A"}, {"Slide B"}});
    OpenOptions opt;
    opt.sofficePath = qpath(fakeConverter(dir, dir / "converted.pdf"));
    opt.officeCacheDir = qpath(dir / "cache");

    writeBytes(dir / "deck.pptx", kZipHead);
    auto doc = openDocument(qpath(dir / "deck.pptx"), opt);
    CHECK(doc->kind() == DocumentKind::Office);
    CHECK(doc->filePath() == qpath(dir / "deck.pptx"));
    CHECK(doc->pageCount() == 2);
    CHECK_THAT(doc->pageText(1).toStdString(), Contains("Slide B"));
    CHECK(runs(dir) == 1);

    // Same content under another name: from the cache.
    writeBytes(dir / "copy.odp", kZipHead);
    CHECK(openDocument(qpath(dir / "copy.odp"), opt)->pageCount() == 2);
    CHECK(runs(dir) == 1);

    // Changed content: converted again.
    writeBytes(dir / "deck.pptx", kZipHead + "v2");
    openDocument(qpath(dir / "deck.pptx"), opt);
    CHECK(runs(dir) == 2);
    CHECK(QDir(qpath(dir / "cache")).entryList({"*.pdf"}).size() == 2);
}

TEST_CASE("without LibreOffice the error names the package to install", "[office][bad-input]") {
    TempDir dir;
    writeBytes(dir / "deck.pptx", kZipHead);
    const QByteArray savedPath = qgetenv("PATH");
    qputenv("PATH", QByteArray::fromStdString((dir / "empty-bin").string()));
    OpenOptions opt;
    opt.officeCacheDir = qpath(dir / "cache");
    std::string msg;
    try {
        openDocument(qpath(dir / "deck.pptx"), opt);
    } catch (const InputError& e) {
        msg = e.what();
    }
    qputenv("PATH", savedPath);
    CHECK_THAT(msg, Contains("deck.pptx: ") && Contains("libreoffice-impress-nogui"));
}

TEST_CASE("a deck LibreOffice cannot convert", "[office][bad-input]") {
    TempDir dir;
    writeBytes(dir / "broken.pptx", kZipHead);
    OpenOptions opt;
    opt.officeCacheDir = qpath(dir / "cache");
    opt.sofficePath = qpath(writeScript(dir / "soffice", "echo 'Error: source file could not be loaded'\nexit 1\n"));
    REQUIRE_THROWS_WITH(openDocument(qpath(dir / "broken.pptx"), opt),
                        Contains("broken.pptx: LibreOffice could not convert it to PDF") &&
                            Contains("source file could not be loaded"));
}

TEST_CASE("a LibreOffice that hangs is killed at the timeout", "[office][bad-input]") {
    TempDir dir;
    writeBytes(dir / "slow.odp", kZipHead);
    OpenOptions opt;
    opt.officeCacheDir = qpath(dir / "cache");
    opt.officeTimeoutMs = 1000;
    // Like soffice, the script starts a child (oosplash → soffice.bin).
    opt.sofficePath = qpath(writeScript(dir / "soffice",
                                        "sleep 600 &\necho $! > '" + (dir / "child").string() + "'\nwait\n"));
    const auto start = std::chrono::steady_clock::now();
    REQUIRE_THROWS_WITH(openDocument(qpath(dir / "slow.odp"), opt),
                        Contains("slow.odp: LibreOffice did not finish") && Contains("stopped"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));

    // The child is gone too (or a zombie awaiting its reaper) — within a
    // moment: a killed process needs a little time to exit. On a loaded
    // machine the script can be stopped before it started its child at all;
    // then there is no child to check.
    std::ifstream pidFile(dir / "child");
    int pid = 0;
    pidFile >> pid;
    if (pid > 0) {
        std::string state;
        for (int i = 0; i < 100; ++i) {
            std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
            std::string pidField, name;
            if (!(stat >> pidField >> name >> state)) state = "gone";
            if (state == "Z" || state == "gone") break;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        CHECK((state == "Z" || state == "gone"));
    }
}

TEST_CASE("cancelling stops a conversion", "[office][cancel]") {
    TempDir dir;
    writeBytes(dir / "deck.pptx", kZipHead);
    CancelToken token;
    token.cancel();
    OpenOptions opt;
    opt.officeCacheDir = qpath(dir / "cache");
    opt.sofficePath = qpath(writeScript(dir / "soffice", "sleep 600\n"));
    opt.cancel = &token;
    REQUIRE_THROWS_AS(openDocument(qpath(dir / "deck.pptx"), opt), CancelledError);
}

namespace {

// Two slides in flat ODF XML, which LibreOffice turns into ODP or PPTX.
const char* kFlatOdp = R"(<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.presentation">
 <office:body><office:presentation>
  <draw:page draw:name="one"><draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="3cm">
   <draw:text-box><text:p>Slide one alpha</text:p></draw:text-box></draw:frame></draw:page>
  <draw:page draw:name="two"><draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="3cm">
   <draw:text-box><text:p>Slide two bravo</text:p></draw:text-box></draw:frame></draw:page>
 </office:presentation></office:body></office:document>
)";

}  // namespace

TEST_CASE("real PPTX and ODP decks convert with LibreOffice", "[office][slow]") {
    LEOPARD_SKIP_WITHOUT_PROGRAM("soffice", "libreoffice-impress-nogui");
    TempDir dir;
    writeBytes(dir / "deck.fodp", kFlatOdp);
    OpenOptions opt;
    opt.officeCacheDir = qpath(dir / "cache");
    opt.officeTimeoutMs = 600000;  // first start builds the profile; CI machines are slow
    // Make the decks with the same private profile the converter uses.
    const std::string profile = "file://" + (dir / "cache" / "lo-profile").string();
    for (const char* format : {"pptx", "odp"}) {
        REQUIRE(shell("soffice -env:UserInstallation=" + profile + " --headless --norestore --convert-to " +
                      format + " --outdir '" + dir.path().string() + "' '" + (dir / "deck.fodp").string() +
                      "' >/dev/null 2>&1") == 0);
        INFO(format);
        const auto deck = dir / (std::string("deck.") + format);
        auto doc = openDocument(qpath(deck), opt);
        CHECK(doc->kind() == DocumentKind::Office);
        REQUIRE(doc->pageCount() == 2);
        CHECK(doc->pageSize(0).width() > doc->pageSize(0).height());  // slides are landscape
        CHECK_THAT(doc->pageText(0).toStdString(), Contains("Slide one alpha"));
        CHECK_THAT(doc->pageText(1).toStdString(), Contains("Slide two bravo"));
        CHECK(doc->render(1, 0.5).width() > 0);
    }

    // A deck LibreOffice cannot read: a ZIP holding nothing of a presentation.
    QByteArray garbage = readBytes(dir / "deck.pptx").left(200);
    writeBytes(dir / "damaged.pptx", garbage);
    REQUIRE_THROWS_WITH(openDocument(qpath(dir / "damaged.pptx"), opt), Contains("damaged.pptx: "));
}
