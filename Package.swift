// swift-tools-version:6.1
import PackageDescription

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
                "CMicroHTTPD", "CMicroHTTPDShims",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The one lock type (a pthread mutex the thread sanitizer sees) of every target.
        .target(name: "Locking"),
        .target(name: "PolicyLanguage"),
        .target(
            name: "PolicyService",
            dependencies: [
                "PolicyLanguage", "Locking",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
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
            ]
        ),
        // The etcd-backed PolicyStore and the list-then-watch follower: the seam between
        // PolicyService (no gRPC in it) and EtcdClient.
        .target(
            name: "PolicyStoreEtcd",
            dependencies: [
                "EtcdClient", "PolicyService", "Locking",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "PolicyAPI",
            dependencies: [
                "MicroHTTP", "PolicyService", "PolicyLanguage", "Locking",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "policyd",
            dependencies: [
                "PolicyAPI", "PolicyService", "PolicyLanguage", "MicroHTTP", "PolicyStoreEtcd", "EtcdClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "policyd-bench",
            dependencies: [
                "PolicyLanguage", "PolicyService", "PolicyAPI", "MicroHTTP", .product(name: "Logging", package: "swift-log"),
                "PolicyStoreEtcd", "EtcdClient", "EtcdTestServer",
            ],
            path: "bench/Sources/policyd-bench"
        ),
        .testTarget(name: "PolicyLanguageTests", dependencies: ["PolicyLanguage"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PolicyServiceTests", dependencies: ["PolicyService", "PolicyLanguage", "Locking"]),
        // A blocking HTTP/1.1 client over POSIX sockets for the tests that talk to a real server.
        .target(name: "HTTPTestClient", path: "Tests/HTTPTestClient"),
        .testTarget(name: "MicroHTTPTests", dependencies: ["MicroHTTP", "HTTPTestClient"]),
        .testTarget(
            name: "PolicyAPITests",
            dependencies: [
                "PolicyAPI", "PolicyService", "PolicyLanguage", "MicroHTTP", "Locking",
                // LatencyHistogramTests compares the exposition with swift-prometheus's own.
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "PolicyAPI", "PolicyService", "PolicyLanguage", "MicroHTTP", "HTTPTestClient", "EtcdTestServer", "EtcdClient", "Locking",
            ]
        ),
        // Starts and stops real etcd processes (Debian's etcd-server) on free loopback ports.
        .target(name: "EtcdTestServer", path: "Tests/EtcdTestServer"),
        .testTarget(name: "EtcdClientTests", dependencies: ["EtcdClient", "EtcdTestServer"]),
        .testTarget(
            name: "PolicyStoreEtcdTests",
            dependencies: ["PolicyStoreEtcd", "PolicyService", "PolicyLanguage", "EtcdClient", "EtcdTestServer", "Locking"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
