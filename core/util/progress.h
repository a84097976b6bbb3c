// Progress reporting and cancellation through plain callbacks, so core needs
// no event loop. A ProgressCallback returns false to cancel the operation;
// the operation then throws CancelledError at its next check.
//
//   auto cb = [](const leopard::Progress& p) {
//       std::fprintf(stderr, "%s %lld/%lld\n", p.stage.c_str(), p.done, p.total);
//       return !g_stop;
//   };
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "util/errors.h"

namespace leopard {

struct Progress {
    std::string stage;   // e.g. "loading", "rendering", "encoding", "prefill"
    int64_t done = 0;
    int64_t total = 0;   // 0 when unknown
    std::string detail;  // optional: file name, tensor name …
};

using ProgressCallback = std::function<bool(const Progress&)>;

// Shared stop flag: set from any thread (GUI Stop button, SIGINT handler),
// polled by long operations between units of work.
class CancelToken {
public:
    CancelToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
    void cancel() const { flag_->store(true, std::memory_order_relaxed); }
    void reset() const { flag_->store(false, std::memory_order_relaxed); }
    bool cancelled() const { return flag_->load(std::memory_order_relaxed); }
    void throwIfCancelled() const {
        if (cancelled()) throw CancelledError();
    }
    // A raw pointer for async-signal-safe use (SIGINT handlers).
    std::atomic<bool>* raw() const { return flag_.get(); }

private:
    std::shared_ptr<std::atomic<bool>> flag_;
};

// Calls cb (if any) and throws CancelledError when it asks to stop.
inline void report(const ProgressCallback& cb, const Progress& p) {
    if (cb && !cb(p)) throw CancelledError();
}

}  // namespace leopard
