#include "storage/topology.h"

#include "storage/record_codec.h"
#include "storage/system_store.h"

namespace floe::storage {
namespace {

constexpr uint8_t kTopologyFormat = 1;
constexpr std::string_view kMasterHost = "topology/master_host";
constexpr std::string_view kNextNodeId = "topology/next_node_id";

std::string prefix_of(TopologyNode::Role role) {
    return role == TopologyNode::Role::kLeaf ? "topology/l/" : "topology/a/";
}

std::string key_of(TopologyNode::Role role, std::string_view host, uint16_t port) {
    return prefix_of(role) + std::string(host) + ":" + std::to_string(port);
}

}  // namespace

std::string encode_topology_node(const TopologyNode& node) {
    std::string out;
    out.push_back(static_cast<char>(kTopologyFormat));
    out.push_back(static_cast<char>(node.role));
    put_record_s(out, node.host);
    put_record_u(out, node.port);
    put_record_s(out, node.state);
    put_record_u(out, node.availability_group);
    put_record_u(out, node.node_id);
    return out;
}

Result<TopologyNode> decode_topology_node(std::string_view in) {
    auto damaged = [] { return make_error(ErrorCode::ER_INTERNAL_ERROR, {"damaged topology record"}); };
    if (in.size() < 2 || static_cast<uint8_t>(in[0]) != kTopologyFormat) return damaged();
    TopologyNode n;
    n.role = static_cast<TopologyNode::Role>(in[1]);
    RecordReader r(in.substr(2));
    n.host = r.s();
    uint64_t port = r.u();
    n.state = r.s();
    uint64_t group = r.u();
    uint64_t id = r.u();
    if (!r.ok() || !r.at_end() || port > 65535) return damaged();
    n.port = static_cast<uint16_t>(port);
    n.availability_group = static_cast<uint8_t>(group);
    n.node_id = static_cast<uint32_t>(id);
    return n;
}

Result<std::vector<TopologyNode>> Topology::nodes(TopologyNode::Role role) const {
    return store_.decode_all<TopologyNode>(prefix_of(role),
                                           [](std::string_view, std::string_view value) { return decode_topology_node(value); });
}

Result<std::optional<TopologyNode>> Topology::find(TopologyNode::Role role, std::string_view host, uint16_t port) const {
    auto value = FLOE_TRY(store_.get(key_of(role, host, port)));
    if (!value) return std::optional<TopologyNode>();
    return std::optional<TopologyNode>(FLOE_TRY(decode_topology_node(*value)));
}

Status Topology::put(TopologyNode node) {
    if (node.node_id == 0) {
        auto next = FLOE_TRY(store_.get(kNextNodeId));
        node.node_id = next ? static_cast<uint32_t>(std::stoul(*next)) : 2;
        FLOE_CHECK(store_.put(kNextNodeId, std::to_string(node.node_id + 1)));
    }
    return store_.put(key_of(node.role, node.host, node.port), encode_topology_node(node));
}

Status Topology::remove(TopologyNode::Role role, std::string_view host, uint16_t port) {
    return store_.remove(key_of(role, host, port));
}

Result<std::optional<std::string>> Topology::master_host() const { return store_.get(kMasterHost); }

Status Topology::set_master_host(std::string_view host) { return store_.put(kMasterHost, host); }

}  // namespace floe::storage
