#include "common/debug_sync.h"

#include <catch2/catch.hpp>

#include <thread>

using namespace floe;

namespace {
DebugSyncContext context(DebugSyncHub& hub, DebugSyncActions& actions, const KillFlag* kill = nullptr) {
    DebugSyncContext ctx;
    ctx.hub = &hub;
    ctx.actions = &actions;
    ctx.kill = kill;
    ctx.default_timeout = std::chrono::seconds(5);
    return ctx;
}
}  // namespace

TEST_CASE("debug sync: a point does nothing without a context or an action") {
    CHECK(debug_sync("anything").ok());
    DebugSyncHub hub;
    DebugSyncActions actions;
    auto ctx = context(hub, actions);
    DebugSyncScope scope(&ctx);
    CHECK(debug_sync("anything").ok());
    CHECK(hub.signals().empty());
}

TEST_CASE("debug sync: a point raises its signal and waits for another, once") {
    DebugSyncHub hub;
    DebugSyncActions actions;
    auto ctx = context(hub, actions);
    REQUIRE(actions.apply("p1 SIGNAL reached WAIT_FOR go", ctx).ok());
    std::atomic<bool> passed{false};
    std::thread t([&] {
        DebugSyncScope scope(&ctx);
        CHECK(debug_sync("p1").ok());
        passed = true;
        CHECK(debug_sync("p1").ok());  // EXECUTE 1: the second pass does not stop
    });
    DebugSyncActions other;
    auto ctx2 = context(hub, other);
    REQUIRE(other.apply("now WAIT_FOR reached", ctx2).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    CHECK_FALSE(passed.load());
    REQUIRE(other.apply("now SIGNAL go", ctx2).ok());
    t.join();
    CHECK(passed.load());
    CHECK(hub.signals().empty());  // both signals were consumed by their waits
}

TEST_CASE("debug sync: kill ends a wait with 1317; a timeout warns and goes on; bad text is 1210") {
    DebugSyncHub hub;
    DebugSyncActions actions;
    KillFlag kill;
    auto ctx = context(hub, actions, &kill);
    std::string warned;
    ctx.warn = [&](std::string m) { warned = std::move(m); };
    REQUIRE(actions.apply("p WAIT_FOR never TIMEOUT 1", ctx).ok());
    {
        DebugSyncScope scope(&ctx);
        CHECK(debug_sync("p").ok());
    }
    CHECK(warned == "debug sync point wait timed out");
    REQUIRE(actions.apply("p WAIT_FOR never EXECUTE 2", ctx).ok());
    kill.kill(KillLevel::kQuery);
    {
        DebugSyncScope scope(&ctx);
        auto st = debug_sync("p");
        REQUIRE_FALSE(st.ok());
        CHECK(st.error().number() == 1317);
    }
    REQUIRE(actions.apply("p CLEAR", ctx).ok());
    CHECK(actions.empty());
    CHECK(actions.apply("p SIGNAL", ctx).error().number() == 1210);
    CHECK(actions.apply("p WAIT_FOR x TIMEOUT soon", ctx).error().number() == 1210);
    CHECK(actions.apply("", ctx).error().number() == 1210);
    REQUIRE(actions.apply("now SIGNAL s", ctx).ok());
    REQUIRE(actions.apply("RESET", ctx).ok());
    CHECK(hub.signals().empty());
}
