// Operations of SPEC §5 - §7: cluster commands (SingleStore's syntax), FREEZE / UNFREEZE / FLUSH RAMCHUNK
// (Manticore's), IMPORT TABLE, SNAPSHOT DATABASE, BACKUP / RESTORE DATABASE.
#include <cstdlib>

#include "sql/parse/parser.h"

namespace floe::sql {

Result<std::string> Parser::host_port(uint16_t& port) {
    const Token& h = peek();
    if (h.kind != TokenKind::kString && h.kind != TokenKind::kQuotedIdent && h.kind != TokenKind::kIdent) return fail();
    std::string host = take().text;
    if (accept_op(":")) {
        if (peek().kind != TokenKind::kInteger) return fail();
        unsigned long p = std::strtoul(take().text.c_str(), nullptr, 10);
        if (p == 0 || p > 65535) return fail();
        port = static_cast<uint16_t>(p);
    }
    return host;
}

Result<bool> Parser::operation_statement(Statement& out) {
    const Token& t = peek();
    auto word = [&](size_t k, std::string_view w) { return peek(k).is_word(w); };
    // user[:'password']@'host'[:port]
    auto account = [&](ClusterStmt& c) -> Status {
        const Token& u = peek();
        if (u.kind != TokenKind::kString && u.kind != TokenKind::kQuotedIdent && u.kind != TokenKind::kIdent) return fail();
        c.user = take().text;
        if (accept_op(":")) {
            if (peek().kind != TokenKind::kString) return fail();
            c.password = take().text;
        }
        FLOE_CHECK(expect_op("@"));
        c.host = FLOE_TRY(host_port(c.port));
        return {};
    };
    ClusterStmt c;
    using K = ClusterStmt::Kind;
    if ((t.is_word("add") || t.is_word("remove")) && (word(1, "leaf") || word(1, "aggregator"))) {
        bool add = take().is_word("add");
        bool leaf = take().is_word("leaf");
        c.kind = add ? (leaf ? K::kAddLeaf : K::kAddAggregator) : (leaf ? K::kRemoveLeaf : K::kRemoveAggregator);
        if (add) {
            FLOE_CHECK(account(c));
            if (leaf && accept_word("into")) {
                FLOE_CHECK(expect_word("group"));
                if (peek().kind != TokenKind::kInteger) return fail();
                auto g = std::strtoul(take().text.c_str(), nullptr, 10);
                if (g != 1 && g != 2) return fail();
                c.group = static_cast<uint8_t>(g);
            }
        } else {
            c.host = FLOE_TRY(host_port(c.port));
            c.force = accept_word("force");
        }
    } else if ((t.is_word("attach") || t.is_word("detach")) && word(1, "leaf")) {
        bool attach = take().is_word("attach");
        take();
        if (attach && accept_word("all")) {
            c.kind = K::kAttachLeafAll;
        } else {
            c.kind = attach ? K::kAttachLeaf : K::kDetachLeaf;
            c.host = FLOE_TRY(host_port(c.port));
        }
        if (attach && accept_word("no")) FLOE_CHECK(expect_word("rebalance"));
    } else if (t.is_word("aggregator") && word(1, "set")) {
        take();
        take();
        FLOE_CHECK(expect_word("as"));
        FLOE_CHECK(expect_word("master"));
        c.kind = K::kAggregatorSetAsMaster;
    } else if (t.is_word("bootstrap") && word(1, "aggregator")) {
        take();
        take();
        c.kind = K::kBootstrapAggregator;
        c.host = FLOE_TRY(host_port(c.port));
        if (accept_word("port")) {
            if (peek().kind != TokenKind::kInteger) return fail();
            c.port = static_cast<uint16_t>(std::strtoul(take().text.c_str(), nullptr, 10));
        }
    } else if ((t.is_word("pause") || t.is_word("continue") || t.is_word("stop")) && word(1, "replicating")) {
        Token verb = take();
        take();
        c.kind = verb.is_word("pause") ? K::kPauseReplicating
                                       : verb.is_word("continue") ? K::kContinueReplicating : K::kStopReplicating;
        c.db = FLOE_TRY(identifier());
    } else if (t.is_word("replicate") && word(1, "database")) {
        take();
        take();
        c.kind = K::kReplicateDatabase;
        c.db = FLOE_TRY(identifier());
        if (accept_word("as")) (void)FLOE_TRY(identifier());
        FLOE_CHECK(expect_word("from"));
        FLOE_CHECK(account(c));
        if (accept_op("/")) (void)FLOE_TRY(identifier());
    } else if (t.is_word("check") && word(1, "blob")) {
        take();
        take();
        FLOE_CHECK(expect_word("checksum"));
        c.kind = K::kCheckBlobChecksum;
        if (accept_word("on")) c.db = FLOE_TRY(identifier());
    } else if (t.is_word("clear") && word(1, "orphan")) {
        take();
        take();
        FLOE_CHECK(expect_word("databases"));
        c.kind = K::kClearOrphanDatabases;
    } else if ((t.is_word("rebalance") || (t.is_word("explain") && word(1, "rebalance")))) {
        bool explain = take().is_word("explain");
        if (explain) take();
        if (!explain && accept_word("all")) {
            FLOE_CHECK(expect_word("databases"));
            c.kind = K::kRebalanceAllDatabases;
        } else {
            FLOE_CHECK(expect_word("partitions"));
            FLOE_CHECK(expect_word("on"));
            c.db = FLOE_TRY(identifier());
            c.force = accept_word("force");
            c.kind = explain ? K::kExplainRebalancePartitions : K::kRebalancePartitions;
        }
    } else if (t.is_word("freeze") || t.is_word("unfreeze")) {
        FreezeStmt f;
        f.unfreeze = take().is_word("unfreeze");
        do {
            f.tables.push_back(FLOE_TRY(table_ref(false)));
        } while (accept_op(","));
        if (!f.unfreeze) {
            if (accept_word("like")) f.like = FLOE_TRY(string_literal());
            if (accept_word("timeout")) {
                if (peek().kind != TokenKind::kInteger) return fail();
                f.timeout_seconds = std::strtoull(take().text.c_str(), nullptr, 10);
            }
        }
        out = std::move(f);
        return true;
    } else if (t.is_word("flush") && (word(1, "ramchunk") || word(1, "table") || word(1, "tables")) &&
               peek(2).kind != TokenKind::kEnd && !peek(2).is_op(";") && !word(2, "with")) {
        take();
        take();
        FlushTableStmt f;
        do {
            f.tables.push_back(FLOE_TRY(table_ref(false)));
        } while (accept_op(","));
        out = std::move(f);
        return true;
    } else if (t.is_word("snapshot") && peek(1).kind != TokenKind::kEnd && !peek(1).is_op(";")) {
        take();
        if (!accept_word("database")) accept_word("schema");
        SnapshotStmt snap;
        snap.db = FLOE_TRY(identifier());
        out = std::move(snap);
        return true;
    } else if (t.is_word("backup") && peek(1).kind != TokenKind::kEnd && !peek(1).is_op(";")) {
        take();
        if (!accept_word("database")) accept_word("schema");
        BackupStmt b;
        b.db = FLOE_TRY(identifier());
        if (accept_word("with")) {
            if (accept_word("init")) {
                b.mode = BackupStmt::Mode::kInit;
            } else if (accept_word("differential")) {
                b.mode = BackupStmt::Mode::kDifferential;
            } else {
                FLOE_CHECK(expect_word("split"));
                FLOE_CHECK(expect_word("partitions"));
                b.mode = BackupStmt::Mode::kSplitPartitions;
                if (accept_word("by")) {
                    if (peek().kind != TokenKind::kInteger || peek().text != "2") return fail();  // SingleStore's only factor
                    take();
                }
            }
        }
        FLOE_CHECK(expect_word("to"));
        b.path = FLOE_TRY(string_literal());
        if (accept_word("timeout")) {
            if (peek().kind != TokenKind::kInteger) return fail();
            b.timeout_ms = std::strtoull(take().text.c_str(), nullptr, 10);
        }
        if (accept_word("tags")) {
            FLOE_CHECK(expect_op("("));
            do {
                b.tags.push_back(FLOE_TRY(string_literal()));
            } while (accept_op(","));
            FLOE_CHECK(expect_op(")"));
        }
        out = std::move(b);
        return true;
    } else if (t.is_word("restore") && peek(1).kind != TokenKind::kEnd && !peek(1).is_op(";")) {
        take();
        if (!accept_word("database")) accept_word("schema");
        RestoreStmt r;
        r.db = FLOE_TRY(identifier());
        if (accept_word("as")) r.as = FLOE_TRY(identifier());
        FLOE_CHECK(expect_word("from"));
        r.path = FLOE_TRY(string_literal());
        if (accept_word("with")) {
            FLOE_CHECK(expect_word("file"));
            FLOE_CHECK(expect_op("="));
            if (peek().kind != TokenKind::kInteger) return fail();
            r.file = std::strtoull(take().text.c_str(), nullptr, 10);
        }
        out = std::move(r);
        return true;
    } else if (t.is_word("import") && word(1, "table")) {
        take();
        take();
        ImportTableStmt i;
        i.table = FLOE_TRY(table_ref(false));
        FLOE_CHECK(expect_word("from"));
        i.dir = FLOE_TRY(string_literal());
        out = std::move(i);
        return true;
    } else {
        return false;
    }
    out = std::move(c);
    return true;
}

}  // namespace floe::sql
