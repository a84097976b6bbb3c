// InferenceSession on the tiny golden checkpoint: generation matches the
// reference, follow-up turns reuse the cache (no image encoded twice) and
// agree with a fresh computation, stopping and cancellation work.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "engine/safetensors.h"
#include "engine/session.h"
#include "test_paths.h"

namespace {

struct Fixture {
    std::shared_ptr<leopard::LeopardModel> model;
    torch::Tensor pixels;
    std::vector<int64_t> ids, greedy;

    Fixture() {
        const auto dir = leopard::test::goldenDir() / "tiny-leopard";
        model = leopard::LeopardModel::load(dir, {});
        leopard::SafetensorsFile g(dir / "golden.safetensors");
        pixels = g.tensor("pixel_values").clone();
        std::ifstream in(dir / "golden.json");
        const auto j = nlohmann::json::parse(in);
        ids = j.at("input_ids").get<std::vector<int64_t>>();
        greedy = j.at("greedy_tokens").get<std::vector<int64_t>>();
    }
    leopard::TileFeatureFn tiles() const { return leopard::pixelTiles(model, pixels, {}); }
    leopard::GenerationOptions greedyOptions() const {
        leopard::GenerationOptions o;
        o.maxNewTokens = static_cast<int64_t>(greedy.size());
        return o;
    }
};

double maxDiff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

}  // namespace

TEST_CASE("a session generates the reference's greedy tokens", "[session]") {
    Fixture f;
    leopard::InferenceSession s(f.model);
    std::vector<int64_t> streamed;
    auto opt = f.greedyOptions();
    opt.onToken = [&](int64_t id) {
        streamed.push_back(id);
        return true;
    };
    const auto r = s.generate(f.ids, f.tiles(), opt);
    CHECK(r.tokens == f.greedy);
    CHECK(streamed == f.greedy);   // no stop id among them
    CHECK(r.reason == leopard::StopReason::MaxTokens);
    CHECK(r.prefillPositions == f.model->expandedLength(f.ids));
    CHECK(r.decodeTokens == static_cast<int64_t>(f.greedy.size()) - 1);
    CHECK(s.tilesEncoded() == f.pixels.size(0));
}

TEST_CASE("a follow-up turn reuses the cache and encodes no image again", "[session]") {
    Fixture f;
    leopard::InferenceSession s(f.model);
    const auto first = s.generate(f.ids, f.tiles(), f.greedyOptions());
    const int64_t tilesAfterFirst = s.tilesEncoded();

    auto ids2 = f.ids;
    ids2.insert(ids2.end(), first.tokens.begin(), first.tokens.end());
    ids2.insert(ids2.end(), {5, 6, 7});
    const auto logits = s.prefill(ids2, f.tiles());
    CHECK(s.tilesEncoded() == tilesAfterFirst);

    leopard::InferenceSession fresh(f.model);
    const auto ref = fresh.prefill(ids2, f.tiles());
    CHECK(maxDiff(logits, ref) <= 1e-5);
    CHECK(s.cachedPositions() == f.model->expandedLength(ids2));

    SECTION("a later image is encoded alone, as tile 3") {
        auto ids3 = ids2;
        ids3.insert(ids3.end(), {f.model->config().image_token_index, 8});
        const auto pixels4 = torch::cat({f.pixels, f.pixels.narrow(0, 0, 1).flip(3)}, 0);
        std::vector<std::pair<int64_t, int64_t>> calls;
        const auto inner = leopard::pixelTiles(f.model, pixels4, {});
        const leopard::TileFeatureFn spy = [&](int64_t a, int64_t n) {
            calls.emplace_back(a, n);
            return inner(a, n);
        };
        const auto got = s.prefill(ids3, spy);
        CHECK((calls == std::vector<std::pair<int64_t, int64_t>>{{3, 1}}));
        leopard::InferenceSession other(f.model);
        CHECK(maxDiff(got, other.prefill(ids3, inner)) <= 1e-5);
    }

    SECTION("an edited earlier turn recomputes from the first difference") {
        auto edited = f.ids;
        edited[2] = edited[2] == 3 ? 4 : 3;
        const auto got = s.prefill(edited, f.tiles());
        CHECK(s.tilesEncoded() == tilesAfterFirst + f.pixels.size(0));   // the images follow the edit
        leopard::InferenceSession other(f.model);
        CHECK(maxDiff(got, other.prefill(edited, f.tiles())) <= 1e-5);
    }
}

TEST_CASE("generation stops on caller stop ids, the callback and the cancel token", "[session]") {
    Fixture f;
    leopard::InferenceSession s(f.model);

    auto opt = f.greedyOptions();
    opt.stopIds = {f.greedy[2]};
    auto r = s.generate(f.ids, f.tiles(), opt);
    CHECK(r.reason == leopard::StopReason::StopToken);
    CHECK(r.tokens.back() == f.greedy[2]);
    CHECK(r.tokens.size() <= 3);

    opt = f.greedyOptions();
    int seen = 0;
    opt.onToken = [&](int64_t) { return ++seen < 3; };
    r = s.generate(f.ids, f.tiles(), opt);
    CHECK(r.reason == leopard::StopReason::Callback);
    CHECK(r.tokens.size() == 3);
    CHECK(s.tilesEncoded() == f.pixels.size(0));   // same prompt again: cache reused

    opt = f.greedyOptions();
    leopard::CancelToken cancel;
    opt.cancel = &cancel;
    opt.onToken = [&](int64_t) {
        cancel.cancel();
        return true;
    };
    r = s.generate(f.ids, f.tiles(), opt);
    CHECK(r.reason == leopard::StopReason::Cancelled);
    CHECK(r.tokens.size() == 1);
}

TEST_CASE("sampling with a seed is reproducible across sessions", "[session]") {
    Fixture f;
    auto opt = f.greedyOptions();
    opt.sampling.temperature = 1.5;
    opt.sampling.topK = 20;
    opt.sampling.seed = 1234;
    leopard::InferenceSession a(f.model), b(f.model);
    CHECK(a.generate(f.ids, f.tiles(), opt).tokens == b.generate(f.ids, f.tiles(), opt).tokens);
}

TEST_CASE("placeholders without images, and out-of-vocabulary ids, are input errors", "[session]") {
    Fixture f;
    leopard::InferenceSession s(f.model);
    CHECK_THROWS_AS(s.prefill(f.ids, nullptr), leopard::InputError);
    CHECK_THROWS_AS(s.prefill({1, f.model->config().text.vocab_size}, nullptr), leopard::InputError);
    const auto few = leopard::pixelTiles(f.model, f.pixels.narrow(0, 0, 1), {});
    CHECK_THROWS_AS(s.prefill(f.ids, few), leopard::InputError);
}

TEST_CASE("vision encoding reports progress per batch and can be cancelled", "[session]") {
    Fixture f;
    std::vector<int64_t> done;
    leopard::EncodeOptions o;
    o.maxBatch = 1;
    o.progress = [&](const leopard::Progress& p) {
        done.push_back(p.done);
        return true;
    };
    f.model->encodeImages(f.pixels, o);
    CHECK((done == std::vector<int64_t>{0, 1, 2, 3}));
    CHECK(f.model->autoVisionBatch() >= 1);

    o.progress = [&](const leopard::Progress& p) { return p.done < 1; };
    CHECK_THROWS_AS(f.model->encodeImages(f.pixels, o), leopard::CancelledError);
}
