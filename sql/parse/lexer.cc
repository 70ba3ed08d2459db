#include "sql/parse/lexer.h"

#include <strings.h>

namespace floe::sql {
namespace {

bool is_ident_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
           c >= 0x80;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int hex_value(char c) {
    if (is_digit(c)) return c - '0';
    return (c | 0x20) - 'a' + 10;
}

// Hex digits -> bytes (an odd count gets a leading 0 nibble, as MySQL does).
std::string hex_to_bytes(std::string_view digits) {
    std::string out;
    size_t i = 0;
    if (digits.size() % 2 == 1) {
        out.push_back(static_cast<char>(hex_value(digits[0])));
        i = 1;
    }
    for (; i + 1 < digits.size() + 1 && i < digits.size(); i += 2) {
        out.push_back(static_cast<char>(hex_value(digits[i]) * 16 + hex_value(digits[i + 1])));
    }
    return out;
}

std::string bits_to_bytes(std::string_view bits) {
    // Left-pad to whole bytes, as MySQL does: b'101' is one byte 0x05.
    std::string padded((8 - bits.size() % 8) % 8, '0');
    padded.append(bits);
    std::string out;
    for (size_t i = 0; i < padded.size(); i += 8) {
        unsigned acc = 0;
        for (size_t j = i; j < i + 8; ++j) acc = acc * 2 + (padded[j] == '1');
        out.push_back(static_cast<char>(acc));
    }
    return out;
}

constexpr std::string_view kThreeCharOps[] = {"<=>", "->>"};
constexpr std::string_view kTwoCharOps[] = {"<=", ">=", "<>", "!=", ":=", "||", "&&", "<<", ">>", "->"};

}  // namespace

bool Token::is_word(std::string_view word) const {
    return kind == TokenKind::kIdent && text.size() == word.size() &&
           strncasecmp(text.data(), word.data(), word.size()) == 0;
}

Error syntax_error_at(std::string_view sql, size_t pos, uint32_t line) {
    std::string_view rest = pos < sql.size() ? sql.substr(pos) : std::string_view{};
    // MySQL quotes at most 80 characters of what follows; do not cut a UTF-8 sequence in half.
    if (rest.size() > 80) {
        size_t n = 80;
        while (n > 0 && (static_cast<unsigned char>(rest[n]) & 0xC0) == 0x80) --n;
        rest = rest.substr(0, n);
    }
    return make_error(ErrorCode::ER_PARSE_ERROR, {rest, std::to_string(line)});
}

void Lexer::skip_space_and_comments(Result<void>& status) {
    while (pos_ < sql_.size()) {
        char c = sql_[pos_];
        if (c == '\n') {
            ++line_;
            ++pos_;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            ++pos_;
        } else if (c == '#' ||
                   (c == '-' && pos_ + 1 < sql_.size() && sql_[pos_ + 1] == '-' &&
                    (pos_ + 2 >= sql_.size() || static_cast<unsigned char>(sql_[pos_ + 2]) <= ' '))) {
            saw_comment_ = true;
            while (pos_ < sql_.size() && sql_[pos_] != '\n') ++pos_;
        } else if (c == '*' && exec_comment_depth_ > 0 && pos_ + 1 < sql_.size() && sql_[pos_ + 1] == '/') {
            --exec_comment_depth_;  // end of an executed /*! ... */
            pos_ += 2;
        } else if (c == '/' && pos_ + 1 < sql_.size() && sql_[pos_ + 1] == '*') {
            saw_comment_ = true;
            size_t start = pos_;
            uint32_t start_line = line_;
            bool executable = false;
            if (pos_ + 2 < sql_.size() && sql_[pos_ + 2] == '!') {
                // /*!NNNNN ... */ : MySQL version comment; executed when the version is ours or older.
                size_t p = pos_ + 3;
                size_t digits_start = p;
                while (p < sql_.size() && is_digit(sql_[p]) && p - digits_start < 6) ++p;
                size_t ndigits = p - digits_start;
                long version = ndigits >= 5 ? std::stol(std::string(sql_.substr(digits_start, ndigits))) : 0;
                if (ndigits == 0 || version <= kServerVersionId) {
                    executable = true;
                    pos_ = p;
                    ++exec_comment_depth_;
                }
            }
            if (executable) continue;
            size_t close = sql_.find("*/", pos_ + 2);
            if (close == std::string_view::npos) {
                status = syntax_error_at(sql_, start, start_line);
                pos_ = sql_.size();
                return;
            }
            for (size_t i = pos_; i < close; ++i) {
                if (sql_[i] == '\n') ++line_;
            }
            pos_ = close + 2;
        } else {
            return;
        }
    }
}

Result<Token> Lexer::next() {
    Result<void> status;
    skip_space_and_comments(status);
    if (!status.ok()) return std::move(status).error();
    Token tok;
    tok.begin = static_cast<uint32_t>(pos_);
    tok.line = line_;
    if (pos_ >= sql_.size()) {
        tok.kind = TokenKind::kEnd;
        tok.end = tok.begin;
        return tok;
    }
    char c = sql_[pos_];
    char n1 = pos_ + 1 < sql_.size() ? sql_[pos_ + 1] : '\0';

    // X'..', B'..', N'..'
    if ((c == 'x' || c == 'X') && n1 == '\'') {
        size_t close = sql_.find('\'', pos_ + 2);
        if (close == std::string_view::npos) return syntax_error_at(sql_, pos_, line_);
        auto digits = sql_.substr(pos_ + 2, close - pos_ - 2);
        for (char d : digits) {
            if (!is_hex(d) || digits.size() % 2 == 1) return syntax_error_at(sql_, pos_, line_);
        }
        tok.kind = TokenKind::kHexString;
        tok.text = hex_to_bytes(digits);
        pos_ = close + 1;
        tok.end = static_cast<uint32_t>(pos_);
        return tok;
    }
    if ((c == 'b' || c == 'B') && n1 == '\'') {
        size_t close = sql_.find('\'', pos_ + 2);
        if (close == std::string_view::npos) return syntax_error_at(sql_, pos_, line_);
        auto bits = sql_.substr(pos_ + 2, close - pos_ - 2);
        for (char d : bits) {
            if (d != '0' && d != '1') return syntax_error_at(sql_, pos_, line_);
        }
        tok.kind = TokenKind::kBitString;
        tok.text = bits_to_bytes(bits);
        pos_ = close + 1;
        tok.end = static_cast<uint32_t>(pos_);
        return tok;
    }
    if ((c == 'n' || c == 'N') && n1 == '\'') {
        ++pos_;
        return lex_quoted('\'', tok);
    }
    if (c == '\'' || (c == '"' && !options_.ansi_quotes)) return lex_quoted(c, tok);
    if (c == '`' || (c == '"' && options_.ansi_quotes)) return lex_quoted(c, tok);

    if (is_digit(c) || (c == '.' && is_digit(n1))) {
        // 0x.. / 0b.. literals
        if (c == '0' && (n1 == 'x' || n1 == 'X') && pos_ + 2 < sql_.size() && is_hex(sql_[pos_ + 2])) {
            size_t p = pos_ + 2;
            while (p < sql_.size() && is_hex(sql_[p])) ++p;
            if (p >= sql_.size() || !is_ident_char(static_cast<unsigned char>(sql_[p]))) {
                tok.kind = TokenKind::kHexString;
                tok.text = hex_to_bytes(sql_.substr(pos_ + 2, p - pos_ - 2));
                pos_ = p;
                tok.end = static_cast<uint32_t>(pos_);
                return tok;
            }
        }
        if (c == '0' && (n1 == 'b' || n1 == 'B') && pos_ + 2 < sql_.size() &&
            (sql_[pos_ + 2] == '0' || sql_[pos_ + 2] == '1')) {
            size_t p = pos_ + 2;
            while (p < sql_.size() && (sql_[p] == '0' || sql_[p] == '1')) ++p;
            if (p >= sql_.size() || !is_ident_char(static_cast<unsigned char>(sql_[p]))) {
                tok.kind = TokenKind::kBitString;
                tok.text = bits_to_bytes(sql_.substr(pos_ + 2, p - pos_ - 2));
                pos_ = p;
                tok.end = static_cast<uint32_t>(pos_);
                return tok;
            }
        }
        return lex_number(tok);
    }
    if (is_ident_char(static_cast<unsigned char>(c))) {
        size_t p = pos_;
        while (p < sql_.size() && is_ident_char(static_cast<unsigned char>(sql_[p]))) ++p;
        tok.kind = TokenKind::kIdent;
        tok.text = std::string(sql_.substr(pos_, p - pos_));
        pos_ = p;
        tok.end = static_cast<uint32_t>(pos_);
        return tok;
    }
    tok.kind = TokenKind::kOperator;
    for (auto op : kThreeCharOps) {
        if (sql_.substr(pos_, 3) == op) {
            tok.text = std::string(op);
            pos_ += 3;
            tok.end = static_cast<uint32_t>(pos_);
            return tok;
        }
    }
    for (auto op : kTwoCharOps) {
        if (sql_.substr(pos_, 2) == op) {
            tok.text = std::string(op);
            pos_ += 2;
            tok.end = static_cast<uint32_t>(pos_);
            return tok;
        }
    }
    tok.text = std::string(1, c);
    ++pos_;
    tok.end = static_cast<uint32_t>(pos_);
    return tok;
}

Result<Token> Lexer::lex_quoted(char quote, Token tok) {
    bool is_ident = quote == '`' || (quote == '"' && options_.ansi_quotes);
    tok.kind = is_ident ? TokenKind::kQuotedIdent : TokenKind::kString;
    size_t start = pos_;
    uint32_t start_line = line_;
    ++pos_;
    std::string out;
    while (true) {
        if (pos_ >= sql_.size()) return syntax_error_at(sql_, start, start_line);
        char c = sql_[pos_];
        if (c == quote) {
            if (pos_ + 1 < sql_.size() && sql_[pos_ + 1] == quote) {  // doubled quote
                out.push_back(quote);
                pos_ += 2;
                continue;
            }
            ++pos_;
            break;
        }
        if (c == '\n') ++line_;
        if (c == '\\' && !is_ident && options_.backslash_escapes && pos_ + 1 < sql_.size()) {
            char e = sql_[pos_ + 1];
            switch (e) {
                case '0': out.push_back('\0'); break;
                case '\'': out.push_back('\''); break;
                case '"': out.push_back('"'); break;
                case 'b': out.push_back('\b'); break;
                case 'n': out.push_back('\n'); break;
                case 'r': out.push_back('\r'); break;
                case 't': out.push_back('\t'); break;
                case 'Z': out.push_back('\x1A'); break;
                case '\\': out.push_back('\\'); break;
                case '%':  // kept with the backslash: LIKE patterns need it
                case '_':
                    out.push_back('\\');
                    out.push_back(e);
                    break;
                default:
                    if (e == '\n') ++line_;
                    out.push_back(e);
            }
            pos_ += 2;
            continue;
        }
        out.push_back(c);
        ++pos_;
    }
    tok.text = std::move(out);
    tok.end = static_cast<uint32_t>(pos_);
    return tok;
}

Token Lexer::lex_number(Token tok) {
    size_t p = pos_;
    bool fraction = false, exponent = false;
    while (p < sql_.size() && is_digit(sql_[p])) ++p;
    if (p < sql_.size() && sql_[p] == '.') {
        fraction = true;
        ++p;
        while (p < sql_.size() && is_digit(sql_[p])) ++p;
    }
    if (p < sql_.size() && (sql_[p] == 'e' || sql_[p] == 'E')) {
        size_t q = p + 1;
        if (q < sql_.size() && (sql_[q] == '+' || sql_[q] == '-')) ++q;
        if (q < sql_.size() && is_digit(sql_[q])) {
            exponent = true;
            p = q;
            while (p < sql_.size() && is_digit(sql_[p])) ++p;
        }
    }
    // MySQL allows identifiers that start with digits (1abc); treat digit-led words as identifiers.
    if (!fraction && !exponent && p < sql_.size() && is_ident_char(static_cast<unsigned char>(sql_[p]))) {
        while (p < sql_.size() && is_ident_char(static_cast<unsigned char>(sql_[p]))) ++p;
        tok.kind = TokenKind::kIdent;
    } else {
        tok.kind = exponent ? TokenKind::kFloat : (fraction ? TokenKind::kDecimal : TokenKind::kInteger);
    }
    tok.text = std::string(sql_.substr(pos_, p - pos_));
    pos_ = p;
    tok.end = static_cast<uint32_t>(pos_);
    return tok;
}

}  // namespace floe::sql
