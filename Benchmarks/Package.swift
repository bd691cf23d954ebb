// swift-tools-version:6.0
import PackageDescription

// Parley's benchmarks and their peers, kept out of the product package (as swift-nio keeps
// its benchmarks): SwiftPM builds them only here, so `swift build` and `Tools/test` at the
// root never compile them. `Tools/bench` builds this package in release
// (`swift build -c release --package-path Benchmarks`, its own Benchmarks/.build) and runs
// it from the repository root, where the suites find .build/release/parleyd and write .bench/.
//
// Platforms: as the root package, Linux (x86_64, Swift 6.3) only.
let package = Package(
    name: "ParleyBenchmarks",
    dependencies: [
        .package(name: "Parley", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // SQLite for the storage, writer and queries suites' peer. Named apart from the root
        // package's CSQLite (the tests' reference): target names are unique in one graph.
        .systemLibrary(
            name: "CSQLitePeer",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // One subcommand per suite; peers (SQLite, DuckDB, Redis) run in the same process
        // or as children of it.
        .executableTarget(
            name: "parley-bench",
            dependencies: [
                "CSQLitePeer",
                .product(name: "ParleyClient", package: "Parley"),
                .product(name: "ParleyStore", package: "Parley"),
                .product(name: "ParleyStorage", package: "Parley"),
                .product(name: "ParleyCore", package: "Parley"),
                .product(name: "ParleyWire", package: "Parley"),
                .product(name: "ParleyLoad", package: "Parley"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Tools/bench tokens: counting speed against Python tiktoken on the same text.
        .executableTarget(
            name: "parley-tokens-bench",
            dependencies: [.product(name: "ParleyTokenizer", package: "Parley")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
