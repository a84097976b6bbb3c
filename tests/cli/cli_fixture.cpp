#include "cli_fixture.h"

#include <catch2/catch.hpp>

namespace leopard::test {

nlohmann::json CliFixture::json(std::vector<std::string> args, CliOptions options) const {
    args.insert(args.end(), {"--json", "--max-new-tokens", "8"});
    const CliResult r = run(args, std::move(options));
    INFO("stderr: " << r.err);
    REQUIRE(r.exitCode == 0);
    return nlohmann::json::parse(r.out);
}

}  // namespace leopard::test
