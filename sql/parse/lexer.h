// Lexer: SQL text -> tokens, on demand. Knows MySQL's comments (`-- `, `#`, `/* */`), executable comments
// (`/*!NNNNN ... */` runs when NNNNN <= our version 80035; `/*M!...*/` and `/*+...*/` are comments), quoting
// ('...', "...", `...`), escapes (\n, \', '' ...), numbers, hex/bit literals and multi-character operators.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace floe::sql {

enum class TokenKind : uint8_t {
    kEnd,
    kIdent,        // bare word: keyword or identifier (text as written)
    kQuotedIdent,  // `name` (or "name" under ANSI_QUOTES)
    kString,       // '...' or "..." (text unescaped)
    kHexString,    // X'4142' or 0x4142 (text = the raw bytes)
    kBitString,    // b'0101' or 0b0101 (text = the raw bytes)
    kInteger,      // 123
    kDecimal,      // 1.5
    kFloat,        // 1e3
    kOperator,     // ( ) , ; + <= := ... (text = the operator)
};

struct Token {
    TokenKind kind = TokenKind::kEnd;
    std::string text;
    uint32_t begin = 0;  // byte offsets into the source
    uint32_t end = 0;
    uint32_t line = 1;
    bool introducer_binary = false;  // _binary'...' (set by the parser, not the lexer)

    bool is_op(std::string_view op) const { return kind == TokenKind::kOperator && text == op; }
    // Case-insensitive keyword test on a bare word.
    bool is_word(std::string_view word) const;
};

struct LexerOptions {
    bool backslash_escapes = true;  // off under NO_BACKSLASH_ESCAPES
    bool ansi_quotes = false;       // "x" is an identifier under ANSI_QUOTES
};

constexpr int kServerVersionId = 80035;  // for /*!NNNNN ... */

class Lexer {
public:
    Lexer(std::string_view sql, LexerOptions options) : sql_(sql), options_(options) {}

    // The next token, kEnd at the end of input; 1064 on an unterminated string, identifier or comment.
    Result<Token> next();
    // True once a comment (of any kind) has been skipped: lets a comment-only query answer OK.
    bool saw_comment() const { return saw_comment_; }
    std::string_view source() const { return sql_; }

private:
    void skip_space_and_comments(Result<void>& status);
    Result<Token> lex_quoted(char quote, Token tok);
    Token lex_number(Token tok);

    std::string_view sql_;
    LexerOptions options_;
    size_t pos_ = 0;
    uint32_t line_ = 1;
    int exec_comment_depth_ = 0;  // inside /*! ... */ whose content is being lexed
    bool saw_comment_ = false;
};

// MySQL's 1064 for a problem at byte `pos` of `sql`: "... near '<rest of the statement>' at line N".
Error syntax_error_at(std::string_view sql, size_t pos, uint32_t line);

}  // namespace floe::sql
