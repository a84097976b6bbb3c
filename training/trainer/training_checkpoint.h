// Resumable training state in one folder, `<out>/checkpoint/`:
//   model.safetensors  trainable tensors (all weights, or the LoRA A/B pairs)
//   optimizer.pt       the optimizer's state (torch::serialize archive)
//   state.json         {"step", "seed", …}: everything else is a function of
//                      (seed, step) — data order, dropout masks — so the
//                      step is the data position and the RNG state at once.
// Saving writes a sibling temporary folder and renames it over the old one
// (the old one is moved aside first and removed last), so a full disk or a
// crash leaves the previous checkpoint intact, never a half-written one.
//
// Thread-safety: reentrant; one writer per folder.
#pragma once

#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "engine/safetensors.h"

namespace leopard::training {

// Throws what the writers throw (InputError / Error with the file); on any
// failure the temporary folder is removed and `dir` keeps its old content.
void saveTrainingCheckpoint(const std::filesystem::path& dir, const NamedTensors& tensors,
                            const torch::optim::Optimizer& optimizer, const nlohmann::json& state);

// nullopt when there is no checkpoint. Copies the saved tensors into
// `tensors` (same names and shapes, InputError otherwise) and the optimizer
// state into `optimizer`; returns state.json. A folder left aside by an
// interrupted save ("<dir>.old") is used when `dir` itself is missing.
std::optional<nlohmann::json> loadTrainingCheckpoint(const std::filesystem::path& dir, const NamedTensors& tensors,
                                                     torch::optim::Optimizer& optimizer);

}  // namespace leopard::training
