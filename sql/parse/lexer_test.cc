#include <catch2/catch.hpp>

#include <vector>

#include "sql/parse/lexer.h"

using namespace floe;
using namespace floe::sql;

namespace {
std::vector<Token> lex_all(std::string_view sql, LexerOptions options = {}) {
    Lexer lx(sql, options);
    std::vector<Token> out;
    for (;;) {
        auto t = lx.next();
        REQUIRE(t.ok());
        if (t->kind == TokenKind::kEnd) break;
        out.push_back(*t);
    }
    return out;
}
}  // namespace

TEST_CASE("lexer: words, numbers, operators") {
    auto t = lex_all("SELECT a1, 12, 1.50, 1e3, .5 <=> != := `x y` @@v");
    REQUIRE(t.size() == 17);  // @@v is three tokens: @ @ v
    CHECK(t[0].is_word("select"));
    CHECK(t[1].kind == TokenKind::kIdent);
    CHECK(t[3].kind == TokenKind::kInteger);
    CHECK(t[5].kind == TokenKind::kDecimal);
    CHECK(t[7].kind == TokenKind::kFloat);
    CHECK(t[9].kind == TokenKind::kDecimal);
    CHECK(t[10].is_op("<=>"));
    CHECK(t[11].is_op("!="));
    CHECK(t[12].is_op(":="));
    CHECK(t[13].kind == TokenKind::kQuotedIdent);
    CHECK(t[13].text == "x y");
}

TEST_CASE("lexer: strings with escapes and doubled quotes") {
    auto t = lex_all(R"('it''s' "say \"hi\"" 'a\nb\\c\0' 'x\%y')");
    REQUIRE(t.size() == 4);
    CHECK(t[0].text == "it's");
    CHECK(t[1].text == "say \"hi\"");
    CHECK(t[2].text == std::string("a\nb\\c\0", 6));
    CHECK(t[3].text == "x\\%y");  // kept for LIKE
    auto raw = lex_all(R"('a\nb')", LexerOptions{false, false});
    CHECK(raw[0].text == "a\\nb");
}

TEST_CASE("lexer: hex and bit literals") {
    auto t = lex_all("X'4142' 0x4142 b'101' 0b1");
    REQUIRE(t.size() == 4);
    CHECK(t[0].text == "AB");
    CHECK(t[1].text == "AB");
    CHECK(t[2].text == "\x05");
    CHECK(t[3].text == "\x01");
}

TEST_CASE("lexer: comments and executable comments") {
    auto t = lex_all("SELECT 1 -- rest\n# hash\n/* block */ /*!40101 + 2 */ /*!99999 + 3 */ /*M!100100 + 4 */");
    REQUIRE(t.size() == 4);
    CHECK(t[2].is_op("+"));
    CHECK(t[3].text == "2");
    Lexer lx("/* only */", {});
    CHECK(lx.next()->kind == TokenKind::kEnd);
    CHECK(lx.saw_comment());
    // "--x" is not a comment (needs a space), it is minus minus x
    auto m = lex_all("1--1");
    CHECK(m.size() == 4);
}

TEST_CASE("lexer: unterminated string is a 1064 at its line") {
    Lexer lx("SELECT\n'abc", {});
    CHECK(lx.next().ok());
    auto t = lx.next();
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().number() == 1064);
    CHECK(t.error().message.find("near ''abc' at line 2") != std::string::npos);
}
