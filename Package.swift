// swift-tools-version:6.0
import PackageDescription

// Layers, top to bottom (no layer reaches up):
//   executables (parleyd, parley, parley-load): flags and wiring only
//   ParleyServer, ParleyClient, ParleyCLI: services, NIO transport, command logic
//   ParleyWire: frames, status codes, the protobuf-c bridge
//   ParleyStore: the domain kept in storage trees (writer, queries)
//   ParleyCore: domain values and rules, no I/O
//   ParleyStorage: pager, copy-on-write B+tree
//   CProtobufC / ParleyProtoC: libprotobuf-c and the code protoc-c generated from Protos/
//
// The benchmarks and their peers are a package of their own (Benchmarks/Package.swift,
// run by Tools/bench); the library products below are the ones they build on.
//
// Platforms: built and tested on Linux (x86_64, Swift 6.3) only. No Apple platform minimum
// is declared because none was ever built; the storage layer uses Glibc directly.
let package = Package(
    name: "Parley",
    products: [
        .executable(name: "parleyd", targets: ["parleyd"]),
        .executable(name: "parley", targets: ["parley"]),
        .executable(name: "parley-load", targets: ["parley-load"]),
        .library(name: "ParleyClient", targets: ["ParleyClient"]),
        // For the benchmark package (Benchmarks/): the layers its suites measure directly.
        .library(name: "ParleyStorage", targets: ["ParleyStorage"]),
        .library(name: "ParleyCore", targets: ["ParleyCore"]),
        .library(name: "ParleyStore", targets: ["ParleyStore"]),
        .library(name: "ParleyWire", targets: ["ParleyWire"]),
        .library(name: "ParleyLoad", targets: ["ParleyLoad"]),
        .library(name: "ParleyTokenizer", targets: ["ParleyTokenizer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // API keys are stored as SHA-256 digests.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Operations: metrics, the Prometheus scrape format, signal-driven graceful shutdown.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Settings from flags, PARLEY_* variables and a JSON file (default traits: JSON).
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // TLS for the RPC listener and its clients (BoringSSL inside).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "CProtobufC",
            pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"])]
        ),
        .target(name: "ParleyProtoC", dependencies: ["CProtobufC"]),
        // SQLite: the reference the report tests compare with (ParleyTestSupport).
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(name: "ParleyStorage"),
        .target(name: "ParleyCore"),
        // cl100k_base BPE token counting; the vocabulary file is installed, not committed.
        .target(name: "ParleyTokenizer", dependencies: ["ParleyCore"]),
        .target(name: "ParleyStore", dependencies: ["ParleyCore", "ParleyStorage"]),
        .target(
            name: "ParleyWire",
            dependencies: [
                "CProtobufC", "ParleyProtoC", "ParleyCore",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Load testing: the capture format, the traffic model, replay scheduling,
        // latency percentiles, and sending over client connections. Typed messages only,
        // never the message bridge.
        .target(
            name: "ParleyLoad",
            dependencies: [
                "ParleyCore", "ParleyWire", "ParleyClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .target(
            name: "ParleyServer",
            dependencies: [
                "ParleyWire", "ParleyStore", "ParleyCore", "ParleyLoad",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "ParleyClient",
            dependencies: [
                "ParleyWire", "ParleyCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "ParleyCLI",
            dependencies: [
                "ParleyClient", "ParleyWire", "ParleyCore", "ParleyLoad",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "parleyd",
            dependencies: [
                "ParleyServer", "ParleyStore", "ParleyTokenizer", "ParleyLoad",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "parley", dependencies: ["ParleyCLI"]),
        .executableTarget(
            name: "parley-load",
            dependencies: ["ParleyCLI"]
        ),
        // Fuzzing (Tools/fuzz, docs/SECURITY.md): what one input exercises, and the libFuzzer
        // binary around it (the corpus runner when built without -sanitize=fuzzer).
        .target(name: "ParleyFuzz", dependencies: ["ParleyWire", .product(name: "NIOCore", package: "swift-nio")]),
        .target(name: "CFuzzerDriver"),
        .executableTarget(name: "parley-fuzz", dependencies: ["ParleyFuzz", "CFuzzerDriver"]),
        // The one test-support library of the test targets (never a product): the seeded
        // generator, the server harness over TCP or in process, the byte-level connection,
        // the SQLite reference.
        .target(
            name: "ParleyTestSupport",
            dependencies: [
                "ParleyServer", "ParleyClient", "ParleyStore", "ParleyStorage", "ParleyWire", "ParleyCore", "CSQLite",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ParleyTestSupport"
        ),
        .testTarget(name: "ParleyStorageTests", dependencies: ["ParleyStorage", "ParleyTestSupport"]),
        .testTarget(name: "ParleyCoreTests", dependencies: ["ParleyCore", "ParleyTestSupport"]),
        .testTarget(name: "ParleyTokenizerTests", dependencies: ["ParleyTokenizer", "ParleyCore", "ParleyTestSupport"]),
        .testTarget(name: "ParleyStoreTests", dependencies: ["ParleyStore", "ParleyCore", "ParleyStorage", "ParleyTestSupport"]),
        .testTarget(name: "ParleyWireTests",
                    dependencies: ["ParleyWire", "ParleyCore", "ParleyProtoC", "CProtobufC", "ParleyFuzz",
                                   .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(
            name: "ParleyServerTests",
            dependencies: [
                "ParleyServer", "ParleyClient", "ParleyWire", "ParleyCore", "ParleyStore", "ParleyStorage", "ParleyTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ParleyLoadTests",
            dependencies: ["ParleyLoad", "ParleyCore", "ParleyWire", .product(name: "NIOCore", package: "swift-nio")]
        ),
        // Allocations per call, counted by an interposed malloc (glibc's __libc_* entry
        // points behind it); test-only, like the target that uses it.
        .target(name: "CMallocCounter", path: "Tests/CMallocCounter"),
        .testTarget(name: "ParleyAllocationTests",
                    dependencies: ["CMallocCounter", "ParleyTestSupport", "ParleyClient", "ParleyCore", "ParleyWire"]),
        .testTarget(name: "ParleyCLITests", dependencies: ["ParleyCLI", "ParleyServer", "ParleyClient", "ParleyLoad", "ParleyStore", "ParleyTestSupport"]),
    ],
    // Swift 6 language mode, so complete concurrency checking, for every target.
    swiftLanguageModes: [.v6]
)
