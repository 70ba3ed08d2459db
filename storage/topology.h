// Topology: the cluster catalog of SPEC §5, kept in the system instance. floe is a single-node server: this
// server is always the master aggregator and the one leaf holding data (it is not stored here); the catalog
// records the other nodes that ADD LEAF / ADD AGGREGATOR named, with their state, and the master's host name
// from BOOTSTRAP AGGREGATOR. Nothing is ever sent to a recorded node.
//
// Records: key "topology/<l|a>/<host>:<port>", value [format u8 = 1] role u8 (1 leaf, 2 aggregator) host port
// state availability_group node_id (varints / varint-length strings, as catalog_codec.h);
// key "topology/master_host": the host name, raw.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace floe::storage {

class SystemStore;

struct TopologyNode {
    enum class Role : uint8_t { kLeaf = 1, kAggregator = 2 };
    Role role = Role::kLeaf;
    std::string host;
    uint16_t port = 3306;
    std::string state = "offline";  // offline (recorded, never reached) or detached
    uint8_t availability_group = 1;
    uint32_t node_id = 0;
};

std::string encode_topology_node(const TopologyNode& node);
Result<TopologyNode> decode_topology_node(std::string_view bytes);

class Topology {
public:
    explicit Topology(SystemStore& store) : store_(store) {}
    // Every recorded node of `role`, in key order.
    Result<std::vector<TopologyNode>> nodes(TopologyNode::Role role) const;
    Result<std::optional<TopologyNode>> find(TopologyNode::Role role, std::string_view host, uint16_t port) const;
    // Writes the node; a new one gets the next node id (the local node is 1).
    Status put(TopologyNode node);
    Status remove(TopologyNode::Role role, std::string_view host, uint16_t port);
    Result<std::optional<std::string>> master_host() const;
    Status set_master_host(std::string_view host);

private:
    SystemStore& store_;
};

}  // namespace floe::storage
