// swift-tools-version:6.1
import PackageDescription

/// Every Swift target: imports are internal unless marked `public import` (a module's types
/// cross a boundary only where a signature says so), members are visible only from modules
/// the file imports, and existential types are spelled `any`.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "policyd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "policyd", targets: ["policyd"]),
        .executable(name: "policyd-bench", targets: ["policyd-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // The etcd client (issue #10): gRPC over HTTP/2 with protobuf messages.
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        // libmicrohttpd, found through pkg-config; Debian's package is libmicrohttpd-dev.
        .systemLibrary(
            name: "CMicroHTTPD",
            pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]
        ),
        // Only what Swift cannot call itself (the variadic MHD_start_daemon).
        .target(name: "CMicroHTTPDShims", dependencies: ["CMicroHTTPD"]),
        .target(
            name: "MicroHTTP",
            dependencies: [
                "CMicroHTTPD", "CMicroHTTPDShims", "Locking",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The one lock type (a pthread mutex the thread sanitizer sees) of every target.
        .target(name: "Locking", swiftSettings: strict),
        .target(name: "PolicyLanguage", swiftSettings: strict),
        .target(
            name: "PolicyService",
            dependencies: [
                "PolicyLanguage", "Locking",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // An etcd v3 client over its gRPC API; knows nothing about policies. The Swift code in
        // Generated/ comes from Protos/etcd (scripts/generate-etcd-client.sh).
        .target(
            name: "EtcdClient",
            dependencies: [
                "Locking",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strict
        ),
        // The etcd-backed PolicyStore and the list-then-watch follower: the seam between
        // PolicyService (no gRPC in it) and EtcdClient.
        .target(
            name: "PolicyStoreEtcd",
            dependencies: [
                "EtcdClient", "PolicyService", "Locking",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "PolicyAPI",
            dependencies: [
                "MicroHTTP", "PolicyService", "PolicyLanguage", "Locking",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "policyd",
            dependencies: [
                "PolicyAPI", "PolicyService", "PolicyLanguage", "MicroHTTP", "PolicyStoreEtcd", "EtcdClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "policyd-bench",
            dependencies: [
                "PolicyLanguage", "PolicyService", "PolicyAPI", "MicroHTTP", .product(name: "Logging", package: "swift-log"),
                "PolicyStoreEtcd", "EtcdClient", "EtcdTestServer",
            ],
            path: "bench/Sources/policyd-bench",
            swiftSettings: strict
        ),
        .testTarget(name: "PolicyLanguageTests", dependencies: ["PolicyLanguage"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "PolicyServiceTests", dependencies: ["PolicyService", "PolicyLanguage", "Locking"], swiftSettings: strict),
        // A blocking HTTP/1.1 client over POSIX sockets for the tests that talk to a real server.
        .target(name: "HTTPTestClient", path: "Tests/HTTPTestClient", swiftSettings: strict),
        .testTarget(name: "MicroHTTPTests", dependencies: ["MicroHTTP", "HTTPTestClient"], swiftSettings: strict),
        .testTarget(
            name: "PolicyAPITests",
            dependencies: [
                "PolicyAPI", "PolicyService", "PolicyLanguage", "MicroHTTP", "Locking",
                // LatencyHistogramTests compares the exposition with swift-prometheus's own.
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "PolicyAPI", "PolicyService", "PolicyLanguage", "MicroHTTP", "HTTPTestClient", "EtcdTestServer", "EtcdClient", "Locking",
            ],
            swiftSettings: strict
        ),
        // Starts and stops real etcd processes (Debian's etcd-server) on free loopback ports.
        .target(name: "EtcdTestServer", path: "Tests/EtcdTestServer", swiftSettings: strict),
        .testTarget(name: "EtcdClientTests", dependencies: ["EtcdClient", "EtcdTestServer"], swiftSettings: strict),
        .testTarget(
            name: "PolicyStoreEtcdTests",
            dependencies: ["PolicyStoreEtcd", "PolicyService", "PolicyLanguage", "EtcdClient", "EtcdTestServer", "Locking"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
