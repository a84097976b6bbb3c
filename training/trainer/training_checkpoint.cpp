#include "trainer/training_checkpoint.h"

#include <fstream>
#include <sstream>
#include <unistd.h>

#include "util/atomic_file.h"
#include "util/errors.h"

namespace leopard::training {

namespace fs = std::filesystem;

namespace {
fs::path sibling(const fs::path& dir, const std::string& suffix) {
    auto p = dir;
    p += suffix;
    return p;
}
}  // namespace

void saveTrainingCheckpoint(const fs::path& dir, const NamedTensors& tensors, const torch::optim::Optimizer& optimizer,
                            const nlohmann::json& state) {
    const fs::path tmp = sibling(dir, ".tmp-" + std::to_string(::getpid()));
    const fs::path old = sibling(dir, ".old");
    removeTree(tmp);
    try {
        fs::create_directories(tmp);
        writeSafetensors(tmp / "model.safetensors", tensors, {{"format", "pt"}});
        torch::serialize::OutputArchive archive;
        optimizer.save(archive);
        std::ostringstream bytes;
        archive.save_to(bytes);
        writeFileAtomically(tmp / "optimizer.pt", bytes.str());
        writeFileAtomically(tmp / "state.json", state.dump(2) + "\n");
    } catch (...) {
        try {
            removeTree(tmp);
        } catch (const Error&) {   // keep the first error
        }
        throw;
    }
    removeTree(old);
    if (fs::exists(dir)) fs::rename(dir, old);
    fs::rename(tmp, dir);
    removeTree(old);
}

std::optional<nlohmann::json> loadTrainingCheckpoint(const fs::path& dirIn, const NamedTensors& tensors,
                                                     torch::optim::Optimizer& optimizer) {
    fs::path dir = dirIn;
    if (!fs::exists(dir / "state.json")) {
        dir = sibling(dirIn, ".old");
        if (!fs::exists(dir / "state.json")) return std::nullopt;
    }
    std::ifstream in(dir / "state.json");
    std::stringstream s;
    s << in.rdbuf();
    nlohmann::json state;
    try {
        state = nlohmann::json::parse(s.str());
    } catch (const nlohmann::json::exception& e) {
        throw InputError((dir / "state.json").string(), std::string("malformed JSON: ") + e.what());
    }
    const SafetensorsFile file(dir / "model.safetensors");
    if (file.names().size() != tensors.size())
        throw InputError(file.path().string(), "holds " + std::to_string(file.names().size()) + " tensors, expected " +
                                                   std::to_string(tensors.size()));
    torch::NoGradGuard noGrad;
    for (const auto& [name, t] : tensors) {
        const auto saved = file.tensor(name);
        if (saved.sizes() != t.sizes())
            throw InputError(file.path().string(), name + " has shape " + c10::str(saved.sizes()) + ", expected " +
                                                       c10::str(t.sizes()));
        t.copy_(saved);
    }
    torch::serialize::InputArchive archive;
    archive.load_from((dir / "optimizer.pt").string());
    optimizer.load(archive);
    return state;
}

}  // namespace leopard::training
