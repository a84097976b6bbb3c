// leopard-cli: command-line front end of Leopard Desk. All the work is in
// core/; each subcommand is one file under cli/ (util/command_line.h).
#include "util/command_line.h"

int main(int argc, char** argv) {
    return leopard::cli::run("leopard-cli",
                             "leopard-cli: ask questions about documents with the Leopard vision-language model", argc,
                             argv);
}
