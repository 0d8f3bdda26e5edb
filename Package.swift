// swift-tools-version: 6.2
import PackageDescription

/// Our own targets are strict: Swift 6 language mode, every warning an error.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "giftcard-milter",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "giftcard-milter", targets: ["giftcard-milter"]),
        .library(name: "Milter", targets: ["Milter"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // Allocation counts in the benchmark only (scripts/bench preloads its library).
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CMilter",
            pkgConfig: "milter",
            providers: [.apt(["libmilter-dev"])]
        ),
        // libmilter's own signal thread parked, so the daemon owns its signals (see include/gcm_signals.h).
        .target(name: "CMilterSignals", linkerSettings: [.linkedLibrary("dl")]),
        // Bounds on libmilter's connections: a cap and a handshake timeout (see include/gcm_connections.h).
        .target(name: "CMilterConnections", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "Milter", dependencies: ["CMilter", "CMilterSignals", "CMilterConnections"], swiftSettings: strict),
        .systemLibrary(
            name: "CGMime",
            pkgConfig: "gmime-3.0",
            providers: [.apt(["libgmime-3.0-dev"])]
        ),
        // libxml2's HTML parser in SAX mode, walked in C (see include/gcm_html.h for why).
        .target(
            name: "CHTML",
            cSettings: [.unsafeFlags(["-I/usr/include/libxml2"])],
            linkerSettings: [.linkedLibrary("xml2")]
        ),
        // A C target, not a system library: ICU's headers clash with Foundation's private ICU copy.
        .target(name: "CICU", linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc")]),
        .systemLibrary(name: "CPSL", pkgConfig: "libpsl", providers: [.apt(["libpsl-dev", "publicsuffix"])]),
        .systemLibrary(name: "CPoppler", pkgConfig: "poppler-glib", providers: [.apt(["libpoppler-glib-dev"])]),
        // The PDF text helper: poppler in a process of its own, started by MailView's PDFText.
        .executableTarget(name: "giftcard-pdftext", dependencies: ["CPoppler"]),
        .target(name: "CSpawn"),
        .target(
            name: "MailView",
            dependencies: ["CGMime", "CHTML", "CICU", "CPSL", "CSpawn", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "Detection",
            dependencies: ["MailView"],
            // The lexicon is data, one file per language, compiled in: no file to find at run time.
            resources: ["en", "ar", "it", "es", "fr", "de", "pt", "nl"].map { .embedInCode("Lexicon/\($0).lexicon") }
                + [.embedInCode("Brands/brands.conf"), .embedInCode("Domains/platforms.conf"), .embedInCode("Rules/scores.conf")],
            swiftSettings: strict
        ),
        .target(
            name: "Actions",
            dependencies: ["Detection", "MailView"],
            // Banner texts, one file per language, compiled in; BannerDirectory overrides them.
            resources: ["en", "ar", "it", "es", "fr", "de", "pt", "nl"].map { .embedInCode("Banners/\($0).banner") },
            swiftSettings: strict
        ),
        .target(
            name: "Correlation",
            dependencies: [
                "Detection",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // This build's version from git, for the binary, --version and the package (scripts/version).
        .plugin(name: "BuildVersion", capability: .buildTool()),
        .target(
            name: "GiftCardMilter",
            dependencies: [
                "CMilter", "Milter", "MailView", "Detection", "Actions", "Correlation",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict,
            plugins: ["BuildVersion"]
        ),
        // Foundation's ICU with 4 MB of data instead of 34, for the daemon (see include/gcm_foundation_icu_data.h).
        .target(
            name: "CFoundationICUData",
            exclude: ["icudt76l.dat"],
            cSettings: [.define("GCM_FOUNDATION_ICU_DATA", to: "\"\(Context.packageDirectory)/Sources/CFoundationICUData/icudt76l.dat\"")]
        ),
        .executableTarget(
            name: "giftcard-milter",
            dependencies: [
                "CFoundationICUData", "GiftCardMilter", "Milter", "MailView", "Detection", "Actions", "Correlation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The pre-screen's property (the screened path gives what the full path gives), for the
        // differential tests and the fuzz target; not linked into the milter.
        .target(name: "ScreenCheck", dependencies: ["MailView", "Detection", "Actions"], swiftSettings: strict),
        // libFuzzer target over the whole parse path (scripts/fuzz); a plain build replays files instead.
        .executableTarget(name: "giftcard-fuzz", dependencies: ["MailView", "Detection", "Actions", "ScreenCheck"], swiftSettings: strict),
        // Speed and memory of the message view and detection (scripts/bench); not run by the tests.
        .executableTarget(
            name: "giftcard-bench",
            dependencies: ["MailView", "Detection", "Correlation", "Actions", "CGMime",
                           .product(name: "MallocInterposerSwift", package: "malloc-interposer")],
            swiftSettings: strict
        ),
        .testTarget(name: "MilterTests", dependencies: ["Milter", "CMilter"], swiftSettings: strict),
        .testTarget(
            name: "MailViewTests",
            // CGMime: GLib's HMAC, the reference the seal's digest is checked against (HMACSHA256Tests);
            // ScreenCheck: the seeded generator.
            dependencies: ["MailView", "CGMime", "ScreenCheck"],
            exclude: ["make_fixtures.py", "AuthResultsSeeds", "auth-results.dict", "PDFSeeds"],
            resources: [.copy("Fixtures"), .copy("FuzzRegressions")],
            swiftSettings: strict
        ),
        .testTarget(name: "DetectionTests", dependencies: ["Detection", "MailView"], swiftSettings: strict),
        // The pre-screen's proof: its runs, its lexicon and the screened path against the full one, on
        // generated variants (the fuzz target `screen` runs the same properties on fuzzed input).
        .testTarget(
            name: "ScreenTests", dependencies: ["ScreenCheck", "Detection", "MailView"],
            exclude: ["make_seeds.py", "ScreenSeeds", "screen.dict"], swiftSettings: strict
        ),
        .testTarget(
            name: "CorpusTests",
            dependencies: ["GiftCardMilter", "Correlation", "Detection", "MailView", "Actions", "ScreenCheck"],
            exclude: ["make_corpus.py", "banner-snapshot.txt"],
            resources: [.copy("Corpus")],
            swiftSettings: strict
        ),
        .testTarget(name: "CorrelationTests", dependencies: ["Correlation", "Detection", "MailView"], swiftSettings: strict),
        // The banner's edits are carried out by GiftCardMilter's executor on Milter's in-memory context.
        .testTarget(name: "ActionsTests", dependencies: ["Actions", "Detection", "MailView", "GiftCardMilter", "Milter"], swiftSettings: strict),
        .testTarget(
            name: "GiftCardMilterTests",
            dependencies: [
                "GiftCardMilter", "Milter", "Correlation", "Detection", "MailView", "Actions",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
    ]
)
