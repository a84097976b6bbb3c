// `leopard-cli doctor`: what this installation can do — LibTorch and CUDA,
// the BLAS actually loaded, threads, CPU features, Qt/Poppler/LibreOffice.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "util/command_line.h"
#include "engine/runtime.h"
#ifdef LEOPARD_WITH_DOCUMENTS
#include "documents/runtime_info.h"
#endif

namespace {

leopard::cli::Registrar reg("doctor", 90, [](CLI::App& app) {
    auto* cmd = app.add_subcommand("doctor", "Report LibTorch, CUDA, BLAS, threads, CPU features, Qt, Poppler, LibreOffice");
    static bool json = false;
    static int threads = 0;
    cmd->add_flag("--json", json, "Print one JSON object");
    cmd->add_option("--threads", threads, "Intra-op threads (default: $LEOPARD_THREADS or all cores)");
    cmd->callback([] {
        leopard::configureRuntime({threads, /*quiet=*/true});
        auto report = leopard::engineRuntimeReport();
#ifdef LEOPARD_WITH_DOCUMENTS
        for (auto& kv : leopard::documentsRuntimeReport()) report.push_back(kv);
#else
        report.emplace_back("qt", "not built (engine-only build)");
        report.emplace_back("poppler", "not built (engine-only build)");
#endif
        if (json) {
            nlohmann::ordered_json j;
            for (const auto& [k, v] : report) j[k] = v;
            std::printf("%s\n", j.dump(2).c_str());
        } else {
            for (const auto& [k, v] : report) std::printf("%-22s %s\n", (k + ":").c_str(), v.c_str());
            if (leopard::referenceBlasActive())
                std::printf("\nwarning: reference BLAS active; install libopenblas0-openmp for ~10x faster CPU inference\n");
        }
    });
});

}  // namespace
