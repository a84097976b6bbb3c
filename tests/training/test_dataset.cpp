// The Qt-free JSONL reader: bad lines are reported with their line numbers
// and either stop the read or are skipped; missing images name the file.
#include <catch2/catch.hpp>

#include <fstream>

#include "data/dataset.h"
#include "test_paths.h"
#include "util/errors.h"

using namespace leopard::training;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

// A folder with one image and a train file made of `lines`.
struct Fixture {
    leopard::test::TempDir dir;
    fs::path file;
    explicit Fixture(const std::string& lines, const std::string& name = "train.jsonl") : file(dir / name) {
        write(dir / "a.png", "not really a png, the reader only checks it exists");
        write(file, lines);
    }
};

const std::string kGood =
    R"({"id":"1","images":["a.png"],"conversations":[{"from":"human","value":"<image>\nQ?"},{"from":"gpt","value":"42"}]})";

}  // namespace

TEST_CASE("dataset: good train lines parse, roles normalized, blank lines ignored", "[dataset]") {
    Fixture f(kGood + "\n\n" +
              R"({"images":["a.png"],"conversations":[{"role":"user","content":"Q"},{"role":"assistant","content":"A"}],"category":"count"})" +
              "\n");
    ReadReport report;
    const auto samples = readTrainJsonl(f.file, {}, &report);
    REQUIRE(samples.size() == 2);
    CHECK(report.lines == 2);
    CHECK(samples[0].images.at(0) == f.dir / "a.png");
    CHECK(samples[0].turns.at(1).value == "42");
    CHECK(samples[1].turns.at(0).from == "human");
    CHECK(samples[1].turns.at(1).from == "gpt");
    CHECK(samples[1].category == "count");
    CHECK(samples[1].line == 3);
}

TEST_CASE("dataset: malformed lines are fatal by default, with the line number", "[dataset]") {
    Fixture f(kGood + "\n{not json\n" + kGood + "\n");
    try {
        readTrainJsonl(f.file);
        FAIL("expected an InputError");
    } catch (const leopard::InputError& e) {
        const std::string msg = e.what();
        CHECK(msg.find(f.file.string()) != std::string::npos);
        CHECK(msg.find("line 2") != std::string::npos);
        CHECK(msg.find("not valid JSON") != std::string::npos);
    }
}

TEST_CASE("dataset: with OnError::Skip bad lines are listed and the rest kept", "[dataset]") {
    Fixture f(kGood + "\n{not json\n" +
              R"({"images":["a.png"],"conversations":[{"from":"human","value":"Q"},{"from":"gpt","value":"  "}]})" + "\n" +
              R"({"images":["a.png"],"conversations":[{"from":"gpt","value":"A"}]})" + "\n" +
              R"({"images":["a.png"],"conversations":[{"from":"human","value":"<image><image>"},{"from":"gpt","value":"A"}]})" +
              "\n" + kGood + "\n");
    ReadReport report;
    const auto samples = readTrainJsonl(f.file, {OnError::Skip, true}, &report);
    CHECK(samples.size() == 2);
    CHECK(report.lines == 6);
    CHECK(report.skipped == 4);
    REQUIRE(report.problems.size() == 4);
    CHECK(report.problems[0].find(":2: not valid JSON") != std::string::npos);
    CHECK(report.problems[1].find(":3: empty answer") != std::string::npos);
    CHECK(report.problems[2].find(":4: turn 1 is \"gpt\"") != std::string::npos);
    CHECK(report.problems[3].find(":5: 2 <image> markers but 1 images") != std::string::npos);
}

TEST_CASE("dataset: a missing image is an error naming the image", "[dataset]") {
    Fixture f(R"({"images":["missing.png"],"conversations":[{"from":"human","value":"Q"},{"from":"gpt","value":"A"}]})");
    try {
        readTrainJsonl(f.file);
        FAIL("expected an InputError");
    } catch (const leopard::InputError& e) {
        const std::string msg = e.what();
        CHECK(msg.rfind((f.dir / "missing.png").string(), 0) == 0);  // starts with the image path
        CHECK(msg.find(":1") != std::string::npos);                   // and says where it was referenced
    }
    // not checked when asked not to
    CHECK(readTrainJsonl(f.file, {OnError::Fail, false}).size() == 1);
}

TEST_CASE("dataset: eval lines need answers, a known type and valid letters", "[dataset]") {
    Fixture f(R"({"images_path":["a.png"],"question":"Q","answers":["B"],"ques_type":"multiple-choice","options":["x","y"]})"
              "\n"
              R"({"images_path":"a.png","question":"Q","answers":"7","ques_type":"open-ended","options":""})"
              "\n"
              R"({"images_path":["a.png"],"question":"Q","answers":[],"ques_type":"open-ended"})"
              "\n"
              R"({"images_path":["a.png"],"question":"Q","answers":["C"],"ques_type":"multiple-choice","options":["x","y"]})"
              "\n"
              R"({"images_path":["a.png"],"question":"Q","answers":["1"],"ques_type":"essay"})"
              "\n",
              "eval.jsonl");
    ReadReport report;
    const auto samples = readEvalJsonl(f.file, {OnError::Skip, true}, &report);
    REQUIRE(samples.size() == 2);
    CHECK(samples[0].options.size() == 2);
    CHECK(samples[1].answers == std::vector<std::string>{"7"});
    CHECK(samples[1].options.empty());
    REQUIRE(report.problems.size() == 3);
    CHECK(report.problems[0].find(":3: empty answers") != std::string::npos);
    CHECK(report.problems[1].find(":4: answer \"C\" is not an option letter") != std::string::npos);
    CHECK(report.problems[2].find(":5: unknown ques_type") != std::string::npos);
    CHECK_THROWS_AS(readEvalJsonl(f.file), leopard::InputError);
    CHECK_THROWS_AS(readEvalJsonl(f.dir / "absent.jsonl"), leopard::InputError);
}
