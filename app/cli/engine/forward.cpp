// `leopard-cli forward`: runs a model folder on given inputs and writes every
// intermediate a reference comparison needs. This is how someone who converts
// or ports a checkpoint checks it against a reference implementation:
//
//   leopard-cli forward --model DIR --inputs in.safetensors --out out.safetensors [--generate N]
//
// in:  pixel_values [N, C, S, S] f32 (normalized tiles; omit when the prompt
//      has no image), input_ids [T] i64 (one image_token_index per tile).
// out: vision_last_hidden_state [N, P, Dv], image_features [N, K, Dt],
//      logits [T_expanded, V] (all f32) and, with --generate, generated_ids
//      [n] i64 (greedy, ending with the stop id when one was produced).
#include <cstdio>

#include <torch/torch.h>

#include "util/command_line.h"
#include "engine/model.h"
#include "engine/runtime.h"
#include "engine/safetensors.h"
#include "engine/session.h"
#include "util/errors.h"
#include "util/paths.h"

namespace {

struct Inputs {
    torch::Tensor pixels;            // [N, C, S, S] f32 or undefined
    std::vector<int64_t> ids;
};

Inputs readInputs(const std::string& path) {
    leopard::SafetensorsFile f(path);
    Inputs in;
    if (!f.contains("input_ids")) throw leopard::InputError(path, "no tensor named input_ids");
    const auto ids = f.tensor("input_ids");
    if (ids.dim() != 1 || ids.scalar_type() != torch::kLong)
        throw leopard::InputError(path, "input_ids must be a 1-D int64 tensor");
    const auto contiguous = ids.contiguous();
    in.ids.assign(contiguous.data_ptr<int64_t>(), contiguous.data_ptr<int64_t>() + contiguous.numel());
    if (f.contains("pixel_values")) {
        in.pixels = f.tensor("pixel_values");
        if (in.pixels.dim() != 4 || in.pixels.scalar_type() != torch::kFloat)
            throw leopard::InputError(path, "pixel_values must be a 4-D float32 tensor [N, C, S, S]");
    }
    return in;
}

void runForward(const std::string& modelArg, const std::string& inputsPath, const std::string& outPath,
                int64_t generate, const std::string& deviceArg, const std::string& dtypeArg) {
    leopard::configureRuntime({0, /*quiet=*/false});
    const auto device = leopard::parseDevice(deviceArg);
    const auto dtype = leopard::parseDtype(dtypeArg, device);
    const Inputs in = readInputs(inputsPath);
    const auto model = leopard::LeopardModel::load(leopard::resolveModelDir(modelArg), {device, dtype, {}});
    torch::NoGradGuard noGrad;

    const int64_t tiles = model->countImageTokens(in.ids);
    const int64_t given = in.pixels.defined() ? in.pixels.size(0) : 0;
    if (tiles != given)
        throw leopard::InputError(inputsPath, "input_ids has " + std::to_string(tiles) +
                                                  " image placeholders but pixel_values has " + std::to_string(given) +
                                                  " tiles");
    leopard::NamedTensors out;
    torch::Tensor features;
    if (given > 0) {
        // Batches as the app would run them, keeping the vision output too.
        std::vector<torch::Tensor> vision, feats;
        const int64_t batch = model->autoVisionBatch();
        for (int64_t first = 0; first < given; first += batch) {
            const auto v = model->encodeVision(in.pixels.narrow(0, first, std::min(batch, given - first)));
            vision.push_back(v);
            feats.push_back(model->project(v));
        }
        features = torch::cat(feats, 0);
        out.emplace_back("vision_last_hidden_state", torch::cat(vision, 0).to(torch::kCPU, torch::kFloat));
        out.emplace_back("image_features", features.to(torch::kCPU, torch::kFloat));
    }
    const auto hidden = model->decode(model->embedWithImages(in.ids, features), 0, nullptr);
    out.emplace_back("logits", model->logits(hidden).to(torch::kCPU, torch::kFloat));

    if (generate > 0) {
        leopard::InferenceSession session(model);
        leopard::GenerationOptions opt;
        opt.maxNewTokens = generate;
        const auto r = session.generate(in.ids, [&](int64_t first, int64_t count) {
            return features.narrow(0, first, count);
        }, opt);
        out.emplace_back("generated_ids", torch::tensor(r.tokens, torch::kLong));
        std::fprintf(stderr, "generated %zu tokens (%s)\n", r.tokens.size(), leopard::stopReasonName(r.reason));
    }
    leopard::writeSafetensors(outPath, out, {{"format", "pt"}, {"dtype", leopard::dtypeName(dtype)},
                                             {"device", device.str()}});
    for (const auto& [name, t] : out) std::printf("%-26s %s\n", name.c_str(), c10::str(t.sizes()).c_str());
}

leopard::cli::Registrar reg("forward", 40, [](CLI::App& app) {
    auto* cmd = app.add_subcommand("forward", "Run a model on saved inputs and write its activations and logits "
                                              "(for checking a checkpoint against a reference)");
    static std::string model, inputs, out, device = "cpu", dtype = "f32";
    static int64_t generate = 0;
    cmd->add_option("--model", model, "Model folder (default: $LEOPARD_MODEL, then the bundled model)");
    cmd->add_option("--inputs", inputs, "safetensors with pixel_values [N,C,S,S] f32 and input_ids [T] i64")
        ->required();
    cmd->add_option("--out", out, "safetensors to write")->required();
    cmd->add_option("--generate", generate, "Also decode up to N tokens greedily (generated_ids)");
    cmd->add_option("--device", device, "cpu, cuda, cuda:N or auto")->capture_default_str();
    cmd->add_option("--dtype", dtype, "f32, bf16, f16 or auto")->capture_default_str();
    cmd->callback([] { runForward(model, inputs, out, generate, device, dtype); });
});

}  // namespace
