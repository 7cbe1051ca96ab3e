#!/bin/sh
# Regenerates Sources/EtcdClient/Generated from Protos/etcd/*.proto. Normal builds do not
# need this: the generated code is committed. Needs protoc (Debian: protobuf-compiler)
# and builds the two plugins (protoc-gen-swift from apple/swift-protobuf, and
# protoc-gen-grpc-swift-2 from grpc/grpc-swift-protobuf) in .build-protoc, which takes
# about ten minutes the first time.
set -eu
cd "$(dirname "$0")/.."
root=$PWD
scratch=$root/.build-protoc
mkdir -p "$scratch/pkg/Sources/plugins"
cat > "$scratch/pkg/Package.swift" <<'SWIFT'
// swift-tools-version:6.1
import PackageDescription
let package = Package(
    name: "protoc-plugins",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", exact: "2.4.1"),
    ],
    targets: [.target(name: "plugins")]
)
SWIFT
echo "// nothing: this package only builds the protoc plugins of its dependencies" > "$scratch/pkg/Sources/plugins/empty.swift"
(cd "$scratch/pkg" && swift build -c release --product protoc-gen-swift && swift build -c release --product protoc-gen-grpc-swift-2)
bin=$(cd "$scratch/pkg" && swift build -c release --show-bin-path)

out=Sources/EtcdClient/Generated
rm -rf "$out"
mkdir -p "$out"
protoc --proto_path=Protos/etcd \
    --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
    --swift_out="$out" --swift_opt=Visibility=Internal \
    --plugin=protoc-gen-grpc-swift="$bin/protoc-gen-grpc-swift-2" \
    --grpc-swift_out="$out" --grpc-swift_opt=Visibility=Internal,Server=false,Client=true \
    Protos/etcd/kv.proto Protos/etcd/rpc.proto
rm -f "$out/kv.grpc.swift"  # kv.proto has no services
ls "$out"
