// torch.save state-dict archives: the writer/reader round trip, the
// restricted unpickler's refusals (foreign globals, unknown opcodes, views
// past their storage), and corrupt archives.
#include <catch2/catch.hpp>

#include <caffe2/serialize/inline_container.h>
#include <fstream>
#include <iterator>
#include <torch/torch.h>

#include "engine/restricted_unpickler.h"
#include "engine/torch_pickle.h"
#include "test_paths.h"
#include "util/errors.h"

using leopard::InputError;
using leopard::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string messageOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "<no InputError>";
}

// Pickle bytes by hand, for inputs torch.save would never write.
struct Pkl {
    std::string b = std::string("\x80\x02", 2);
    Pkl& raw(const std::string& s) {
        b += s;
        return *this;
    }
    Pkl& str(const std::string& s) {
        b += 'X';
        for (int i = 0; i < 4; ++i) b += static_cast<char>((s.size() >> (8 * i)) & 0xff);
        b += s;
        return *this;
    }
    Pkl& k(int v) {
        b += 'K';
        b += static_cast<char>(v);
        return *this;
    }
    // A _rebuild_tensor_v2 call on a FloatStorage `key` of `numel` elements.
    Pkl& tensor(const std::string& key, int numel, int offset, int size, int stride) {
        raw("ctorch._utils\n_rebuild_tensor_v2\n(");
        raw("(").str("storage").raw("ctorch\nFloatStorage\n").str(key).str("cpu").k(numel).raw("tQ");
        k(offset).k(size).raw("\x85").k(stride).raw("\x85").raw("\x89").raw("ccollections\nOrderedDict\n)R");
        return raw("tR");
    }
    std::vector<leopard::PickledTensor> parse() const {
        return leopard::readStateDictPickle(reinterpret_cast<const uint8_t*>(b.data()), b.size(), "test.pkl");
    }
};

// A .bin archive holding the given pickle as data.pkl and one storage.
void writeArchive(const fs::path& p, const std::string& pickle) {
    caffe2::serialize::PyTorchStreamWriter w(p.string());
    w.writeRecord("data.pkl", pickle.data(), pickle.size());
    const float data[4] = {1, 2, 3, 4};
    w.writeRecord("data/0", data, sizeof data);
    w.writeEndOfFile();
}

}  // namespace

TEST_CASE("torch.save archives round-trip every dtype and shape", "[torch_pickle]") {
    TempDir dir;
    const auto path = dir / "pytorch_model.bin";
    torch::manual_seed(3);
    const leopard::NamedTensors tensors = {
        {"w.f32", torch::randn({3, 4})},
        {"w.f16", torch::randn({5}).to(torch::kHalf)},
        {"w.bf16", torch::randn({2, 2, 3}).to(torch::kBFloat16)},
        {"ids.i64", torch::arange(1, 400000, 997, torch::kLong)},  // > 255 and > 65535 ints
        {"big.i64", torch::tensor({int64_t(1) << 40, int64_t(-5)})},       // LONG1 in data, not pickle
        {"scalar", torch::tensor(1.25)},
        {"t4", torch::randn({2, 1, 3, 2})},  // 4 dims: TUPLE with MARK
        {"transposed", torch::randn({3, 2}).t()},  // written contiguous
        {"empty", torch::zeros({0, 4})},
    };
    leopard::writeTorchCheckpoint(path, tensors);
    leopard::TorchCheckpointFile f(path);
    REQUIRE(f.names().size() == tensors.size());
    const auto back = leopard::readTorchCheckpoint(path);
    for (size_t i = 0; i < tensors.size(); ++i) {
        INFO(tensors[i].first);
        CHECK(back[i].first == tensors[i].first);  // order kept (OrderedDict)
        CHECK(back[i].second.scalar_type() == tensors[i].second.scalar_type());
        CHECK(back[i].second.sizes() == tensors[i].second.sizes());
        CHECK(torch::equal(back[i].second, tensors[i].second));
        CHECK(f.info(tensors[i].first).shape == tensors[i].second.sizes().vec());
    }
}

TEST_CASE("the archive layout matches torch.save", "[torch_pickle]") {
    TempDir dir;
    const auto path = dir / "pytorch_model-00001-of-00002.bin";
    leopard::writeTorchCheckpoint(path, {{"a", torch::ones({2})}, {"b", torch::ones({3})}});
    caffe2::serialize::PyTorchStreamReader r(path.string());
    CHECK(r.hasRecord("data.pkl"));
    CHECK(r.hasRecord("data/0"));
    CHECK(r.hasRecord("data/1"));
    CHECK(r.hasRecord("byteorder"));
    // Storage records are 64-byte aligned and stored (not compressed) as
    // torch.save writes them, so their offset + size fits in the file.
    CHECK(r.getRecordOffset("data/1") % 64 == 0);
    auto [pkl, n] = r.getRecord("data.pkl");
    const std::string text(static_cast<const char*>(pkl.get()), n);
    CHECK(text.rfind(std::string("\x80\x02", 2) + "ccollections\nOrderedDict\n", 0) == 0);
    CHECK(text.find("ctorch._utils\n_rebuild_tensor_v2\n") != std::string::npos);
    CHECK(text.find("ctorch\nFloatStorage\n") != std::string::npos);
    CHECK(text.back() == '.');
}

TEST_CASE("tensors sharing a storage read their own views", "[torch_pickle]") {
    Pkl p;
    p.raw("ccollections\nOrderedDict\n)R(");
    p.str("first").tensor("0", 10, 0, 4, 1);
    p.str("odd").tensor("0", 10, 1, 5, 2);  // elements 1,3,5,7,9
    p.raw("u.");
    const auto t = p.parse();
    REQUIRE(t.size() == 2);
    CHECK(t[1].name == "odd");
    CHECK(t[1].storageKey == "0");
    CHECK(t[1].storageOffset == 1);
    CHECK(t[1].strides == std::vector<int64_t>{2});
    CHECK(t[1].elementSize == 4);
}

TEST_CASE("_rebuild_parameter wrappers are accepted", "[torch_pickle]") {
    Pkl p;
    p.raw("}").str("w").raw("ctorch._utils\n_rebuild_parameter\n(").tensor("0", 4, 0, 4, 1);
    p.raw("\x88").raw("ccollections\nOrderedDict\n)R").raw("tR").raw("s.");
    const auto t = p.parse();
    REQUIRE(t.size() == 1);
    CHECK(t[0].sizes == std::vector<int64_t>{4});
}

TEST_CASE("the unpickler refuses anything but a state dict, naming the reason", "[torch_pickle][bad-input]") {
    auto refused = [](const Pkl& p, const std::string& reason) {
        const auto msg = messageOf([&] { p.parse(); });
        INFO(msg);
        CHECK(msg.find("test.pkl") != std::string::npos);
        CHECK(msg.find(reason) != std::string::npos);
    };
    SECTION("foreign global") { refused(Pkl().raw("cos\nsystem\n").str("touch /tmp/pwned").raw("\x85R."), "'os.system'"); }
    SECTION("foreign global via STACK_GLOBAL") {
        refused(Pkl().str("builtins").str("eval").raw("\x93"), "'builtins.eval'");
    }
    SECTION("calling a storage type") {
        refused(Pkl().raw("ctorch\nFloatStorage\n)R."), "refusing to call pickle global 'torch.FloatStorage'");
    }
    SECTION("unknown opcode") { refused(Pkl().raw("(i__main__\nX\n."), "refusing pickle opcode 0x69"); }
    SECTION("view past its storage") {
        Pkl p;
        p.raw("}").str("w").tensor("0", 4, 2, 4, 1).raw("s.");
        refused(p, "reaches past its storage");
    }
    SECTION("persistent id that is not a storage") { refused(Pkl().str("x").raw("Q."), "not a torch storage"); }
    SECTION("top level not a dict") { refused(Pkl().k(3).raw("."), "not a state dict"); }
    SECTION("value not a tensor") { refused(Pkl().raw("}").str("w").k(3).raw("s."), "'w' is not a tensor"); }
    SECTION("truncated") { refused(Pkl().raw("}").raw(std::string("X\xff\x00\x00\x00" "ab", 7)), "truncated"); }
    SECTION("no STOP") { refused(Pkl().raw("}"), "truncated"); }
    SECTION("stack underflow") { refused(Pkl().raw("R."), "underflow"); }
    SECTION("unset memo") { refused(Pkl().raw("h\x07."), "memo key 7"); }
}

TEST_CASE("an archive whose pickle names a foreign global is refused, not run", "[torch_pickle][bad-input]") {
    TempDir dir;
    const auto path = dir / "evil.bin";
    const auto marker = dir / "pwned";
    writeArchive(path, Pkl().raw("cos\nsystem\n").str("touch " + marker.string()).raw("\x85R.").b);
    const auto msg = messageOf([&] { leopard::TorchCheckpointFile f(path); });
    CHECK(msg.find(path.string()) != std::string::npos);
    CHECK(msg.find("os.system") != std::string::npos);
    CHECK_FALSE(fs::exists(marker));
}

TEST_CASE("corrupt torch archives are refused with the file name", "[torch_pickle][bad-input]") {
    TempDir dir;
    const auto path = dir / "pytorch_model.bin";
    leopard::writeTorchCheckpoint(path, {{"w", torch::randn({64, 64})}});
    SECTION("truncated zip") {
        fs::resize_file(path, fs::file_size(path) / 2);
        const auto msg = messageOf([&] { leopard::readTorchCheckpoint(path); });
        CHECK(msg.find(path.string()) != std::string::npos);
        CHECK(msg.find("not a readable torch.save zip archive") != std::string::npos);
    }
    SECTION("not a zip at all") {
        std::ofstream(path, std::ios::trunc) << "hello";
        CHECK(messageOf([&] { leopard::TorchCheckpointFile f(path); }).find("not a readable") != std::string::npos);
    }
    SECTION("storage record smaller than the pickle says") {
        writeArchive(path, Pkl().raw("}").str("w").tensor("0", 40, 0, 40, 1).raw("s.").b);
        leopard::TorchCheckpointFile f(path);
        CHECK(messageOf([&] { f.tensor("w"); }).find("less than its 40-element storage") != std::string::npos);
    }
    SECTION("storage record missing") {
        writeArchive(path, Pkl().raw("}").str("w").tensor("7", 4, 0, 4, 1).raw("s.").b);
        leopard::TorchCheckpointFile f(path);
        CHECK(messageOf([&] { f.tensor("w"); }).find("missing record data/7") != std::string::npos);
    }
    SECTION("missing file") {
        CHECK(messageOf([&] { leopard::TorchCheckpointFile f(dir / "nope.bin"); }).find("not found") != std::string::npos);
    }
}

TEST_CASE("pickles made by Python's own pickler the torch.save way are read", "[torch_pickle]") {
    // fuzz/make_pickle_seeds.py writes these with Python's pickle module and
    // stand-ins for the torch globals: independent of our writer.
    const fs::path seeds = fs::path(LEOPARD_SOURCE_DIR) / "fuzz" / "corpus" / "pickle";
    for (const char* name : {"state_dict_p2.pkl", "state_dict_p4.pkl", "plain_dict_p2.pkl"}) {
        INFO(name);
        std::ifstream in(seeds / name, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        REQUIRE(!bytes.empty());
        const auto t = leopard::readStateDictPickle(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), name);
        REQUIRE(t.size() == 6);
        CHECK(t[0].name == "language_model.model.embed_tokens.weight");
        CHECK(t[1].storageKey == t[0].storageKey);  // tied weights share a storage
        CHECK(t[2].storageType == "BFloat16Storage");
        CHECK(t[3].sizes.empty());
        CHECK(t[4].storageOffset == 70000);
        CHECK((t[4].sizes == std::vector<int64_t>{2, 3, 2, 2}));
        CHECK(t[5].name == "x.param");
    }
}
