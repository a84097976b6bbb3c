// Typed errors thrown by core. Library code never calls exit() or abort():
// it throws one of these, and the boundary (CLI main, GUI worker) turns it
// into one readable sentence for the user.
//
//   InputError      the user's input is wrong (bad file, bad option, corrupt
//                   checkpoint, malformed JSON): leopard-cli exits with 2.
//   CancelledError  the caller asked to stop (progress callback returned
//                   false, stop flag set, SIGINT).
//   Error           anything else (out of memory, device failure): exit 1.
#pragma once

#include <stdexcept>
#include <string>

namespace leopard {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class InputError : public Error {
public:
    using Error::Error;
    // "<file>: <reason>" — the common shape for errors about one file.
    InputError(const std::string& file, const std::string& reason)
        : Error(file + ": " + reason) {}
};

class CancelledError : public Error {
public:
    CancelledError() : Error("cancelled") {}
    using Error::Error;
};

}  // namespace leopard
