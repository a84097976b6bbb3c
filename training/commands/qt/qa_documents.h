// The document side of `leopard-train finetune` (commands/finetune.cpp) in
// builds with Qt: turns a user's Q/A file about any document the app opens
// (PDF; PPTX, PPT, ODP … through LibreOffice; PNG, JPEG, WebP, TIFF …) into
// the PNG-only Q/A file that the Qt-free reader takes
// (trainer/finetune.h readQaJsonl). The engine-only build has no such step
// and reads PNGs only.
//
// Each selected page is rendered as the app renders it for the model
// (documents/render_policy.h): the pages of one line share the trainer's
// tile budget as the pages of one question do, and each is rendered by
// RenderService::renderForModel at its share. The pages are written under
// `outDir` (one file per page and scale, shared by the lines that use it);
// a single-page PNG that the policy leaves at its own size is used where it
// is, untouched.
//
// The rewritten file has one line per input line, in order, so the reader's
// line numbers are the user's: a line with documents lists its page images
// in "files" (the question gets one <image> per page) and loses "pages"; a
// line that is not a JSON object with a "files" list is copied as it is for
// the reader to report. A line whose documents fail (unreadable file, page
// out of range, malformed "pages") is reported as "<qa file>:<line>:
// <reason>": an InputError under OnError::Fail, else counted in the report
// and left blank. A page that cannot be written stops the run (Error).
//
//   using namespace leopard::training;
//   ReadReport report;
//   const auto qa = leopard::train::renderQaDocuments(
//       "qa.jsonl", {"docs/", "adapter/rendered", 364, 50, OnError::Skip}, &report);
//   auto samples = readQaJsonl(qa, "docs/", {OnError::Skip}, &report, "qa.jsonl");
//
// Thread-safety: one call at a time per output folder; renders on
// RenderService's worker threads and blocks until done.
#pragma once

#include <filesystem>

#include "data/dataset.h"

namespace leopard::train {

struct QaDocumentOptions {
    std::filesystem::path docsDir;  // relative paths in the Q/A file; empty: the file's folder
    std::filesystem::path outDir;   // rendered pages and the rewritten Q/A file (created)
    int tileSize = 0;               // the model's tile size (vision_config.image_size)
    int tileBudget = 50;            // tiles per sample, global views included (FinetuneOptions::tileBudget)
    training::OnError onError = training::OnError::Fail;
};

// "pages" in a Q/A line: absent, or a list with one entry per file: a list
// of 1-based page numbers ([2, 3], what the app's fine-tune dialog writes),
// a selection as typed for `leopard-cli ask --pages` ("1-3,7"), or an empty
// list / "" / null for every page.
//
// Returns the rewritten Q/A file (<outDir>/<qa file's name>). Lines it
// leaves out are added to `report` (lines, skipped, problems).
std::filesystem::path renderQaDocuments(const std::filesystem::path& qaFile, const QaDocumentOptions& options,
                                        training::ReadReport* report);

}  // namespace leopard::train
