import Foundation
public import Logging

/// An event a `webhook` directive publishes: `policy.<event>` with the network and rule.
public struct PolicyEvent: Sendable, Equatable {
    /// `policy.<event>` where `<event>` is the webhook's `event` param.
    public var name: String
    public var networkID: Int
    public var rule: String

    public init(name: String, networkID: Int, rule: String) {
        self.name = name
        self.networkID = networkID
        self.rule = rule
    }
}

/// What every runner shares: where logs and events go, and the clock.
public struct RunnerEnvironment: Sendable {
    public var logger: Logger
    /// The server's event outlet; webhook directives publish here.
    public var outlet: @Sendable (PolicyEvent) -> Void
    /// Unix seconds now.
    public var now: @Sendable () -> Double
    /// How long a peer denied by a join rule is kept from re-joining.
    var joinCooldownSeconds: Double
    /// Called after a cycle with the network's peer table (the service persists it).
    var peersChanged: @Sendable (_ networkID: Int, _ peers: PeerTable) -> Void = { _, _ in }
    /// Set by the service over a shared store: cycles and membership go through it.
    var shared: SharedPeers?

    /// Unix seconds now, from the system clock.
    public static let wallClock: @Sendable () -> Double = { Date().timeIntervalSince1970 }

    public init(
        logger: Logger,
        outlet: @escaping @Sendable (PolicyEvent) -> Void = { _ in },
        now: @escaping @Sendable () -> Double = RunnerEnvironment.wallClock,
        joinCooldownSeconds: Double = 60
    ) {
        self.logger = logger
        self.outlet = outlet
        self.now = now
        self.joinCooldownSeconds = joinCooldownSeconds
    }
}
