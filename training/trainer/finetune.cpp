#include "trainer/finetune.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "text/tokenizer_factory.h"
#include "trainer/example.h"
#include "trainer/lr_schedule.h"
#include "trainer/trainer.h"
#include "util/errors.h"

namespace leopard::training {

namespace fs = std::filesystem;

std::vector<TrainSample> readQaJsonl(const fs::path& file, const fs::path& docsDir, const ReadOptions& options,
                                     ReadReport* report, const fs::path& shownAs) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file.string(), "cannot open");
    const fs::path base = docsDir.empty() ? file.parent_path() : docsDir;
    ReadReport local;
    ReadReport& r = report ? *report : local;
    std::vector<TrainSample> out;
    int lineNo = 0;
    for (std::string line; std::getline(in, line);) {
        ++lineNo;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        ++r.lines;
        try {
            nlohmann::json j;
            try {
                j = nlohmann::json::parse(line);
            } catch (const nlohmann::json::exception& e) {
                throw std::runtime_error(std::string("malformed JSON: ") + e.what());
            }
            if (!j.is_object()) throw std::runtime_error("expected an object");
            for (const char* key : {"files", "question", "answer"})
                if (!j.contains(key)) throw std::runtime_error(std::string("missing \"") + key + "\"");
            if (!j["files"].is_array() || !j["question"].is_string() || !j["answer"].is_string())
                throw std::runtime_error("\"files\" must be a list, \"question\" and \"answer\" strings");
            TrainSample s;
            s.line = lineNo;
            s.id = "qa-" + std::to_string(lineNo);
            std::string markers;
            for (const auto& f : j["files"]) {
                if (!f.is_string()) throw std::runtime_error("\"files\" entries must be strings");
                fs::path p = f.get<std::string>();
                if (p.is_relative()) p = base / p;
                if (options.checkImages && !fs::exists(p)) throw std::runtime_error("missing file " + p.string());
                if (p.extension() != ".png" && p.extension() != ".PNG")
                    throw std::runtime_error(p.string() + ": only PNG images here (render documents to PNG first)");
                s.images.push_back(p);
                markers += "<image>\n";
            }
            const auto answer = j["answer"].get<std::string>();
            if (answer.find_first_not_of(" \t\r\n") == std::string::npos) throw std::runtime_error("empty answer");
            s.turns = {{"human", markers + j["question"].get<std::string>()}, {"gpt", answer}};
            out.push_back(std::move(s));
        } catch (const std::runtime_error& e) {
            const std::string where = (shownAs.empty() ? file : shownAs).string() + ":" + std::to_string(lineNo);
            if (options.onError == OnError::Fail) throw InputError(where, e.what());
            ++r.skipped;
            r.problems.push_back(where + ": " + e.what());
        }
    }
    return out;
}

FinetuneResult runFinetune(const std::vector<TrainSample>& samples, const FinetuneOptions& o,
                           const std::function<void(const MemoryEstimate&)>& onEstimate) {
    if (samples.empty()) throw InputError("finetune", "no training samples");
    if (o.epochs < 1 || o.batchSize < 1) throw InputError("finetune", "epochs and batch size must be at least 1");
    auto model = LeopardModel::load(o.model, {c10::Device(c10::kCPU), o.dtype, {}});
    const auto tokenizer = text::loadTokenizer(o.model);
    const auto format = text::PromptFormat::fromModelDir(o.model);
    const ExampleBuilder builder(*tokenizer, format, model->config(), o.tileBudget);
    auto adapter = LoraAdapter::create(*model, o.lora, o.seed);

    FinetuneResult result;
    result.memory.baseBytes = model->parameterBytes();
    for (const auto& p : adapter.parameters()) result.memory.adapterBytes += 4 * p.numel() * 4;
    int64_t longest = 0;
    for (const auto& s : samples) {
        const auto ex = builder.prepare(s);   // also checks every sample before the first step
        longest = std::max(longest, model->expandedLength(ex.ids));
    }
    // Per decoder layer the saved activations are about 16 vectors of the
    // hidden size and 3 of the MLP width per position (f32), plus scores.
    const auto& t = model->config().text;
    result.memory.activationBytes =
        t.num_hidden_layers * longest * (16 * t.hidden_size + 3 * t.intermediate_size + 2 * t.num_attention_heads * longest) * 4;
    if (onEstimate) onEstimate(result.memory);

    LoraBinding binding(*model, adapter);
    torch::optim::AdamW optimizer(adapter.parameters(), torch::optim::AdamWOptions(o.lr).weight_decay(0.0));
    SampleOrder order(samples.size(), o.seed);
    const int64_t perEpoch = (static_cast<int64_t>(samples.size()) + o.batchSize - 1) / o.batchSize;
    const int64_t steps = perEpoch * o.epochs;
    const int64_t warmup = static_cast<int64_t>(o.warmupFraction * static_cast<double>(steps));
    auto gen = at::detail::createCPUGenerator(o.seed);
    for (int64_t step = 0; step < steps; ++step) {
        const double lr = learningRate(step, steps, warmup, o.lr, 0.0);
        for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
        std::vector<PreparedExample> batch;
        int64_t masked = 0;
        for (int64_t j = 0; j < o.batchSize; ++j) {
            batch.push_back(builder.prepare(samples[order.at(step * o.batchSize + j)]));
            masked += batch.back().maskedTokens;
        }
        optimizer.zero_grad();
        double lossSum = 0;
        for (const auto& ex : batch) {
            binding.refresh(&gen);
            const auto loss = maskedLoss(*model, ex);
            (loss.sum / static_cast<double>(masked)).backward();
            lossSum += loss.sum.item<double>();
        }
        if (o.gradClip > 0) torch::nn::utils::clip_grad_norm_(adapter.parameters(), o.gradClip);
        optimizer.step();
        result.losses.push_back(lossSum / static_cast<double>(masked));
        if (o.onStep) o.onStep(step + 1, steps, result.losses.back());
    }
    adapter.save(o.out);
    return result;
}

}  // namespace leopard::training
