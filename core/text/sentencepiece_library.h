// libsentencepiece, loaded in isolation.
//
// Debian's libsentencepiece.so.0 carries its own copy of protobuf-lite 3.14
// and exports it; LibTorch needs libprotobuf 3.21. Linked into one process,
// the two resolve each other's symbols: a start-up crash in protobuf's static
// initialisers, or SentencePiece's version check aborting the program. So no
// binary links libsentencepiece. Its API is wrapped in a small module
// (text/sentencepiece/module.cpp → libleopard_sentencepiece.so) that is
// dlopen'ed with RTLD_DEEPBIND | RTLD_LOCAL: inside the module,
// SentencePiece's protobuf references bind to its own copy, and nothing of it
// enters the global symbol scope.
//
// The interface below is what crosses the boundary: abstract classes only,
// no exceptions (errors come back as strings), std types only (one
// libstdc++ in the process). kAbiVersion changes with any change to it.
//
//   const auto& spm = leopard::text::sentencepiece::library();  // throws Error if missing
//   std::string error;
//   auto processor = spm.load("tokenizer.model", &error);
//
// The module is looked for at $LEOPARD_SENTENCEPIECE_MODULE, then at
// <executable dir>/../<libdir>/leopard-desk/ (build tree and installed
// layout alike), then in the build tree. Thread-safety: library() is
// thread-safe; Processor's const members are (SentencePieceProcessor's const
// API is); train() is not reentrant (the trainer has global state).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace leopard::text::sentencepiece {

inline constexpr int kAbiVersion = 1;

class Processor {
public:
    virtual ~Processor() = default;
    virtual int pieceSize() const = 0;
    virtual std::string idToPiece(int id) const = 0;
    virtual int pieceToId(std::string_view piece) const = 0;  // unknown pieces give the <unk> id
    virtual bool isControl(int id) const = 0;
    virtual bool isUnknown(int id) const = 0;
    virtual bool isByte(int id) const = 0;
    virtual int bosId() const = 0;  // -1 when the model has none
    virtual int eosId() const = 0;
    virtual int padId() const = 0;
    // False with *error set when SentencePiece reports a failure.
    virtual bool encode(std::string_view text, std::vector<int>* ids, std::string* error) const = 0;
    virtual std::string decode(const std::vector<int>& ids) const = 0;
};

class Library {
public:
    // Null with *error set when the file is not a SentencePiece model.
    virtual std::unique_ptr<Processor> load(const std::string& path, std::string* error) const = 0;
    // SentencePieceTrainer::Train with these flags over `lines`; the model
    // proto comes back in *serialized. False with *error set on failure.
    virtual bool train(const std::unordered_map<std::string, std::string>& flags,
                       const std::vector<std::string>& lines, std::string* serialized, std::string* error) const = 0;

protected:
    ~Library() = default;
};

// The module's library, loaded on first use. Throws Error naming the paths
// tried when the module is missing or of another ABI version.
const Library& library();

}  // namespace leopard::text::sentencepiece

// The module's one exported symbol.
extern "C" {
using LeopardSentencePieceEntry = const leopard::text::sentencepiece::Library* (*)(int abiVersion);
}
