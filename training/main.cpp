// leopard-train: synthetic data, vocabulary, training, fine-tuning and
// merging for Leopard models. The work lives in libraries (data/, synth/,
// trainer/, core/); each subcommand is one file under commands/
// (util/command_line.h).
#include "util/command_line.h"

int main(int argc, char** argv) {
    return leopard::cli::run("leopard-train", "leopard-train: make data for, train and fine-tune Leopard models",
                             argc, argv);
}
