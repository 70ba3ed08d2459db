// The cluster commands of SPEC §5 on a single node (docs/cluster.md says what each one does here), and
// SHOW LEAVES / SHOW AGGREGATORS. This server is always the master aggregator and the one leaf that holds
// data; other nodes named by ADD LEAF / ADD AGGREGATOR are recorded in the topology catalog (state offline),
// never contacted. The statements' database / cluster locks are taken by Session::run (operation_lock.h).
#include <algorithm>

#include "common/debug_sync.h"
#include "sql/engine.h"
#include "sql/exec/executor.h"
#include "sql/exec/result_builder.h"
#include "sql/session.h"
#include "storage/database.h"
#include "storage/storage_engine.h"
#include "storage/topology.h"

namespace floe::sql {

using storage::TopologyNode;

namespace {

struct LocalNode {
    std::string host;
    uint16_t port = 3306;
};

Result<LocalNode> local_node(Session& session) {
    storage::Topology topology(session.engine().storage().system());
    LocalNode n;
    auto bootstrapped = FLOE_TRY(topology.master_host());
    n.host = bootstrapped ? *bootstrapped : session.global_variable(*find_variable("bind_address")).to_text();
    n.port = static_cast<uint16_t>(session.global_variable(*find_variable("port")).to_int());
    return n;
}

bool is_local(const LocalNode& local, const std::string& host, uint16_t port) {
    if (port != local.port) return false;
    return host == local.host || host == "127.0.0.1" || host == "localhost" || host == "::1";
}

std::string endpoint(const std::string& host, uint16_t port) { return "'" + host + "':" + std::to_string(port); }

Error refuse(std::string message) { return make_error(ErrorCode::ER_FLOE_CLUSTER_OPERATION, {message}); }

void note(Session& session, std::string message) {
    session.add_warning(ErrorCode::ER_FLOE_CLUSTER_OPERATION, std::move(message), "Note");
}

Result<std::shared_ptr<storage::Database>> existing_database(Session& session, const std::string& name) {
    auto db = session.engine().storage().database(name);
    if (!db) return make_error(ErrorCode::ER_BAD_DB_ERROR, {name});
    return db;
}

Result<StatementResult> add_node(Session& session, const ClusterStmt& c, TopologyNode::Role role) {
    const char* what = role == TopologyNode::Role::kLeaf ? "leaf" : "aggregator";
    auto local = FLOE_TRY(local_node(session));
    if (is_local(local, c.host, c.port)) {
        return refuse(endpoint(c.host, c.port) + " is this server, already the master aggregator and the leaf holding every partition");
    }
    storage::Topology topology(session.engine().storage().system());
    if (FLOE_TRY(topology.find(role, c.host, c.port))) {
        return refuse(endpoint(c.host, c.port) + " is already a " + what + " of this cluster");
    }
    TopologyNode node;
    node.role = role;
    node.host = c.host;
    node.port = c.port;
    node.availability_group = c.group;
    FLOE_CHECK(topology.put(node));
    note(session, std::string(what) + " " + endpoint(c.host, c.port) +
                      " is recorded in the topology catalog (state offline): floe runs as a single node and keeps "
                      "every partition here");
    return ok_result();
}

Result<StatementResult> remove_node(Session& session, const ClusterStmt& c, TopologyNode::Role role, bool detach) {
    const char* what = role == TopologyNode::Role::kLeaf ? "leaf" : "aggregator";
    auto local = FLOE_TRY(local_node(session));
    if (is_local(local, c.host, c.port)) {
        return refuse(endpoint(c.host, c.port) + " is this server, the only node holding data: it cannot be " +
                      (detach ? "detached" : "removed"));
    }
    storage::Topology topology(session.engine().storage().system());
    auto node = FLOE_TRY(topology.find(role, c.host, c.port));
    if (!node) return refuse(endpoint(c.host, c.port) + " is not a " + what + " of this cluster (SHOW " +
                             (role == TopologyNode::Role::kLeaf ? "LEAVES" : "AGGREGATORS") + " lists them)");
    if (detach) {
        node->state = "detached";
        FLOE_CHECK(topology.put(*node));
    } else {
        FLOE_CHECK(topology.remove(role, c.host, c.port));
    }
    return ok_result();
}

Result<StatementResult> attach_leaves(Session& session, const ClusterStmt& c) {
    auto local = FLOE_TRY(local_node(session));
    storage::Topology topology(session.engine().storage().system());
    if (c.kind == ClusterStmt::Kind::kAttachLeaf && is_local(local, c.host, c.port)) {
        note(session, endpoint(c.host, c.port) + " is this server: it is attached and online");
        return ok_result();
    }
    uint64_t attached = 0;
    for (auto& node : FLOE_TRY(topology.nodes(TopologyNode::Role::kLeaf))) {
        bool named = c.kind == ClusterStmt::Kind::kAttachLeafAll || (node.host == c.host && node.port == c.port);
        if (!named) continue;
        if (node.state == "detached") {
            node.state = "offline";  // attached again, still never reached
            FLOE_CHECK(topology.put(node));
            ++attached;
        }
        if (c.kind == ClusterStmt::Kind::kAttachLeaf) return ok_result(attached);
    }
    if (c.kind == ClusterStmt::Kind::kAttachLeaf) {
        return refuse(endpoint(c.host, c.port) + " is not a leaf of this cluster (SHOW LEAVES lists them)");
    }
    return ok_result(attached);
}

// CHECK BLOB CHECKSUM [ON db]: every data file read whole, each block's checksum checked; one row per damaged
// or missing file (none: all good).
Result<StatementResult> check_blob_checksum(Session& session, const ClusterStmt& c) {
    auto& storage = session.engine().storage();
    auto local = FLOE_TRY(local_node(session));
    ResultSet rs = text_result(session, {"node_id", "Host", "Port", "Database", "Table", "Filename", "Reason",
                                         "Repair operations"});
    rs.columns[0] = bigint_column("node_id", true);
    rs.columns[2] = bigint_column("Port", true);
    std::vector<std::string> names;
    if (!c.db.empty()) {
        (void)FLOE_TRY(existing_database(session, c.db));
        names.push_back(c.db);
    } else {
        for (const auto& d : storage.databases()) names.push_back(d.name);
    }
    uint64_t checked = 0;
    for (const auto& name : names) {
        auto db = storage.database(name);
        if (!db) continue;  // dropped meanwhile
        FLOE_CHECK(debug_sync("check_blob_checksum_database"));
        for (auto& p : db->verify_files(checked)) {
            rs.rows.push_back({Value::from_uint(1), Value::from_string(local.host), Value::from_uint(local.port),
                               Value::from_string(name), Value::from_string(p.table),
                               Value::from_string("databases/" + name + "/" + p.file), Value::from_string(p.reason),
                               Value::from_string("none: restore the table or database from a backup")});
        }
    }
    note(session, std::to_string(checked) + " file(s) checked, " + std::to_string(rs.rows.size()) + " damaged");
    return wrap(std::move(rs));
}

Result<StatementResult> clear_orphan_databases(Session& session) {
    auto removed = FLOE_TRY(session.engine().storage().clear_orphan_directories());
    for (const auto& name : removed) {
        note(session, "removed directory databases/" + name + ", which no database owned");
    }
    return ok_result(removed.size());
}

}  // namespace

Result<StatementResult> execute_cluster(Session& session, ClusterStmt& c) {
    using K = ClusterStmt::Kind;
    switch (c.kind) {
        case K::kAddLeaf: return add_node(session, c, TopologyNode::Role::kLeaf);
        case K::kAddAggregator: return add_node(session, c, TopologyNode::Role::kAggregator);
        case K::kRemoveLeaf: return remove_node(session, c, TopologyNode::Role::kLeaf, false);
        case K::kRemoveAggregator: return remove_node(session, c, TopologyNode::Role::kAggregator, false);
        case K::kDetachLeaf: return remove_node(session, c, TopologyNode::Role::kLeaf, true);
        case K::kAttachLeaf:
        case K::kAttachLeafAll: return attach_leaves(session, c);
        case K::kAggregatorSetAsMaster:
            note(session, "this server is already the master aggregator");
            return ok_result();
        case K::kBootstrapAggregator: {
            storage::Topology topology(session.engine().storage().system());
            FLOE_CHECK(topology.set_master_host(c.host));
            note(session, "the master aggregator is now known as '" + c.host + "' (SHOW AGGREGATORS)");
            return ok_result();
        }
        case K::kPauseReplicating:
        case K::kContinueReplicating:
        case K::kStopReplicating:
            (void)FLOE_TRY(existing_database(session, c.db));
            return refuse("Database '" + c.db + "' is not a replica: floe runs as a single node, every database is a "
                          "primary and nothing replicates into it");
        case K::kReplicateDatabase:
            return refuse("REPLICATE DATABASE needs a second cluster; floe runs as a single node. Copy a database "
                          "with BACKUP DATABASE and RESTORE DATABASE instead");
        case K::kCheckBlobChecksum: return check_blob_checksum(session, c);
        case K::kClearOrphanDatabases: return clear_orphan_databases(session);
        case K::kRebalancePartitions: {
            auto db = FLOE_TRY(existing_database(session, c.db));
            note(session, "nothing to move: all " + std::to_string(db->partitions()) + " partitions of " + c.db +
                              " are on this node");
            return ok_result();
        }
        case K::kExplainRebalancePartitions: {
            (void)FLOE_TRY(existing_database(session, c.db));
            ResultSet rs = text_result(session, {"Action", "Ordinal", "Target_Host", "Target_Port", "Phase",
                                                 "Estimated_Time_Ms", "Flavor"});
            return wrap(std::move(rs));  // the plan is empty: one node holds every partition
        }
        case K::kRebalanceAllDatabases:
            note(session, "nothing to move: every partition of every database is on this node");
            return ok_result();
    }
    return make_error(ErrorCode::ER_INTERNAL_ERROR, {"unknown cluster command"});
}

Result<StatementResult> execute_show_topology(Session& session, const ShowStmt& s) {
    auto local = FLOE_TRY(local_node(session));
    storage::Topology topology(session.engine().storage().system());
    auto connections = static_cast<uint64_t>(session.engine().session_count());
    auto str = [](const std::string& v) { return Value::from_string(v); };
    if (s.kind == ShowKind::kLeaves) {
        ResultSet rs = text_result(session, {"Host", "Port", "Availability_Group", "Pair_Host", "Pair_Port", "State",
                                             "Opened_Connections", "Average_Roundtrip_Latency_ms", "NodeId",
                                             "Grace_Period_in_seconds"});
        for (size_t i : {1u, 2u, 4u, 6u, 8u, 9u}) rs.columns[i] = bigint_column(rs.columns[i].name, true, false);
        for (size_t i : {3u, 7u}) rs.columns[i].flags &= static_cast<uint16_t>(~column_flag::kNotNull);
        rs.rows.push_back({str(local.host), Value::from_uint(local.port), Value::from_uint(1), Value::null(), Value::null(),
                           str("online"), Value::from_uint(connections), Value::null(), Value::from_uint(1), Value::null()});
        for (const auto& n : FLOE_TRY(topology.nodes(TopologyNode::Role::kLeaf))) {
            rs.rows.push_back({str(n.host), Value::from_uint(n.port), Value::from_uint(n.availability_group), Value::null(),
                               Value::null(), str(n.state), Value::from_uint(0), Value::null(), Value::from_uint(n.node_id),
                               Value::null()});
        }
        return wrap(std::move(rs));
    }
    ResultSet rs = text_result(session, {"Host", "Port", "State", "Opened_Connections", "Average_Roundtrip_Latency_ms",
                                         "Master_Aggregator", "NodeId"});
    for (size_t i : {1u, 3u, 5u, 6u}) rs.columns[i] = bigint_column(rs.columns[i].name, true, false);
    rs.columns[4].flags &= static_cast<uint16_t>(~column_flag::kNotNull);
    rs.rows.push_back({str(local.host), Value::from_uint(local.port), str("online"), Value::from_uint(connections),
                       Value::null(), Value::from_uint(1), Value::from_uint(1)});
    for (const auto& n : FLOE_TRY(topology.nodes(TopologyNode::Role::kAggregator))) {
        rs.rows.push_back({str(n.host), Value::from_uint(n.port), str(n.state), Value::from_uint(0), Value::null(),
                           Value::from_uint(0), Value::from_uint(n.node_id)});
    }
    return wrap(std::move(rs));
}

}  // namespace floe::sql
