// Page selections ("1-3,7") for tiles and ask.
#include <catch2/catch.hpp>

#include "documents/page_spec.h"
#include "util/errors.h"

using namespace leopard;
using Catch::Matchers::Contains;

TEST_CASE("page specs select 0-based pages in the written order", "[page-spec]") {
    CHECK(parsePageSpec("1-3,7", 10, "f.pdf") == std::vector<int>{0, 1, 2, 6});
    CHECK(parsePageSpec(" 7 , 2-3 ", 10, "f.pdf") == std::vector<int>{6, 1, 2});
    CHECK(parsePageSpec("8-", 10, "f.pdf") == std::vector<int>{7, 8, 9});
    CHECK(parsePageSpec("2,2,1-2", 10, "f.pdf") == std::vector<int>{1, 0});
    CHECK(parsePageSpec("", 3, "f.pdf") == std::vector<int>{0, 1, 2});
    CHECK(parsePageSpec("all", 2, "f.pdf") == std::vector<int>{0, 1});
}

TEST_CASE("a page out of range names the file and its page count", "[page-spec]") {
    REQUIRE_THROWS_AS(parsePageSpec("5", 4, "deck.pptx"), InputError);
    REQUIRE_THROWS_WITH(parsePageSpec("2-5", 4, "deck.pptx"),
                        "deck.pptx: page 5 is out of range: it has 4 pages");
    REQUIRE_THROWS_WITH(parsePageSpec("0", 1, "a.png"), "a.png: page 0 is out of range: it has 1 page");
}

TEST_CASE("malformed page specs are input errors", "[page-spec]") {
    for (const char* bad : {"x", "1-a", "3-1", "1,,2", "-2", "1.5"}) {
        INFO(bad);
        REQUIRE_THROWS_WITH(parsePageSpec(bad, 10, "f.pdf"), Contains("f.pdf: bad page selection"));
    }
}
