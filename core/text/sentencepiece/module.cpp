// libleopard_sentencepiece.so: libsentencepiece behind the interface of
// text/sentencepiece_library.h. Built as a MODULE linking only
// libsentencepiece(_train) and loaded with RTLD_DEEPBIND, so SentencePiece's
// embedded protobuf never meets LibTorch's (see that header).
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include "text/sentencepiece_library.h"

namespace {

namespace api = leopard::text::sentencepiece;

class Processor final : public api::Processor {
public:
    sentencepiece::SentencePieceProcessor sp;

    int pieceSize() const override { return sp.GetPieceSize(); }
    std::string idToPiece(int id) const override { return sp.IdToPiece(id); }
    int pieceToId(std::string_view piece) const override { return sp.PieceToId(piece); }
    bool isControl(int id) const override { return sp.IsControl(id); }
    bool isUnknown(int id) const override { return sp.IsUnknown(id); }
    bool isByte(int id) const override { return sp.IsByte(id); }
    int bosId() const override { return sp.bos_id(); }
    int eosId() const override { return sp.eos_id(); }
    int padId() const override { return sp.pad_id(); }
    bool encode(std::string_view text, std::vector<int>* ids, std::string* error) const override {
        const auto status = sp.Encode(text, ids);
        if (!status.ok()) *error = status.ToString();
        return status.ok();
    }
    std::string decode(const std::vector<int>& ids) const override { return sp.DecodeIds(ids); }
};

class LineIterator final : public sentencepiece::SentenceIterator {
public:
    explicit LineIterator(const std::vector<std::string>& lines) : lines_(lines) {}
    bool done() const override { return index_ >= lines_.size(); }
    void Next() override { ++index_; }
    const std::string& value() const override { return lines_[index_]; }
    sentencepiece::util::Status status() const override { return {}; }

private:
    const std::vector<std::string>& lines_;
    std::size_t index_ = 0;
};

class Library final : public api::Library {
public:
    std::unique_ptr<api::Processor> load(const std::string& path, std::string* error) const override {
        auto p = std::make_unique<Processor>();
        const auto status = p->sp.Load(path);
        if (!status.ok()) {
            *error = status.ToString();
            return nullptr;
        }
        return p;
    }

    bool train(const std::unordered_map<std::string, std::string>& flags, const std::vector<std::string>& lines,
               std::string* serialized, std::string* error) const override {
        try {
            LineIterator it(lines);
            const auto status = sentencepiece::SentencePieceTrainer::Train(flags, &it, serialized);
            if (!status.ok()) *error = status.ToString();
            return status.ok();
        } catch (const std::exception& e) {  // nothing may cross the boundary
            *error = e.what();
            return false;
        }
    }
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const api::Library* leopard_sentencepiece_library(int abiVersion) {
    static const Library library;
    return abiVersion == api::kAbiVersion ? &library : nullptr;
}
