// MySQL client/server protocol numbers: capability flags, commands, status flags.
#pragma once

#include <cstdint>

namespace floe::server {

namespace cap {
constexpr uint32_t kLongPassword = 1u << 0;  // also tells MariaDB clients "this is MySQL"
constexpr uint32_t kFoundRows = 1u << 1;
constexpr uint32_t kLongFlag = 1u << 2;
constexpr uint32_t kConnectWithDb = 1u << 3;
constexpr uint32_t kNoSchema = 1u << 4;
constexpr uint32_t kCompress = 1u << 5;
constexpr uint32_t kLocalFiles = 1u << 7;
constexpr uint32_t kIgnoreSpace = 1u << 8;
constexpr uint32_t kProtocol41 = 1u << 9;
constexpr uint32_t kInteractive = 1u << 10;
constexpr uint32_t kSsl = 1u << 11;
constexpr uint32_t kIgnoreSigpipe = 1u << 12;
constexpr uint32_t kTransactions = 1u << 13;
constexpr uint32_t kSecureConnection = 1u << 15;
constexpr uint32_t kMultiStatements = 1u << 16;
constexpr uint32_t kMultiResults = 1u << 17;
constexpr uint32_t kPsMultiResults = 1u << 18;
constexpr uint32_t kPluginAuth = 1u << 19;
constexpr uint32_t kConnectAttrs = 1u << 20;
constexpr uint32_t kPluginAuthLenencData = 1u << 21;
constexpr uint32_t kCanHandleExpiredPasswords = 1u << 22;
constexpr uint32_t kSessionTrack = 1u << 23;
constexpr uint32_t kDeprecateEof = 1u << 24;

// What floed offers (clients.md §12.1). Not offered: COMPRESS, SESSION_TRACK, QUERY_ATTRIBUTES, MariaDB bits.
constexpr uint32_t kServerDefault = kLongPassword | kFoundRows | kLongFlag | kConnectWithDb | kNoSchema |
                                    kLocalFiles | kIgnoreSpace | kProtocol41 | kInteractive | kIgnoreSigpipe |
                                    kTransactions | kSecureConnection | kMultiStatements | kMultiResults |
                                    kPsMultiResults | kPluginAuth | kConnectAttrs | kPluginAuthLenencData |
                                    kCanHandleExpiredPasswords | kDeprecateEof;
}  // namespace cap

enum class Command : uint8_t {
    kSleep = 0x00, kQuit = 0x01, kInitDb = 0x02, kQuery = 0x03, kFieldList = 0x04, kCreateDb = 0x05,
    kDropDb = 0x06, kRefresh = 0x07, kShutdown = 0x08, kStatistics = 0x09, kProcessInfo = 0x0a,
    kConnect = 0x0b, kProcessKill = 0x0c, kDebug = 0x0d, kPing = 0x0e, kTime = 0x0f, kDelayedInsert = 0x10,
    kChangeUser = 0x11, kBinlogDump = 0x12, kTableDump = 0x13, kConnectOut = 0x14, kRegisterSlave = 0x15,
    kStmtPrepare = 0x16, kStmtExecute = 0x17, kStmtSendLongData = 0x18, kStmtClose = 0x19, kStmtReset = 0x1a,
    kSetOption = 0x1b, kStmtFetch = 0x1c, kDaemon = 0x1d, kBinlogDumpGtid = 0x1e, kResetConnection = 0x1f,
};

namespace status {
constexpr uint16_t kInTrans = 0x0001;
constexpr uint16_t kAutocommit = 0x0002;
constexpr uint16_t kMoreResultsExist = 0x0008;
}  // namespace status

constexpr size_t kMaxPacketChunk = 0xFFFFFF;  // payloads of this size or more continue in the next packet

}  // namespace floe::server
