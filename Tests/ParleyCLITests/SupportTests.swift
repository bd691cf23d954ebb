@testable import ParleyCLI
import XCTest

/// Parsing of what people type, progress output, and where the CLI finds its server.
final class SupportTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let now: Int64 = 1_793_577_600_000 // 2026-11-02T00:00:00Z

    func testTimeExpressions() throws {
        XCTAssertEqual(try TimeExpression.parse("30d", timeZone: utc, nowMs: now), now - 30 * 86_400_000)
        XCTAssertEqual(try TimeExpression.parse("12h", timeZone: utc, nowMs: now), now - 12 * 3_600_000)
        XCTAssertEqual(try TimeExpression.parse("2026-11-01", timeZone: utc, nowMs: now), 1_793_491_200_000)
        XCTAssertEqual(try TimeExpression.parse("2026-11-01T08:00", timeZone: utc, nowMs: now), 1_793_491_200_000 + 8 * 3_600_000)
        XCTAssertEqual(try TimeExpression.parse("2026-11-01 08:00:00", timeZone: utc, nowMs: now), 1_793_491_200_000 + 8 * 3_600_000)
        XCTAssertEqual(try TimeExpression.parse("2026-11-01T08:00:00.250+02:00", timeZone: utc, nowMs: now),
                       1_793_491_200_000 + 6 * 3_600_000 + 250)
        XCTAssertEqual(try TimeExpression.parse("1793491200000", timeZone: utc, nowMs: now), 1_793_491_200_000)
        let berlin = try XCTUnwrap(TimeZone(identifier: "Europe/Berlin"))
        XCTAssertEqual(try TimeExpression.parse("2026-11-01", timeZone: berlin, nowMs: now), 1_793_491_200_000 - 3_600_000)
        XCTAssertThrowsError(try TimeExpression.parse("yesterday", timeZone: utc, nowMs: now))
        XCTAssertThrowsError(try TimeExpression.parse("2026-02-30", timeZone: utc, nowMs: now))
        XCTAssertThrowsError(try TimeExpression.zone("Mars/Olympus"))
    }

    func testBadWindowIsAUsageErrorWithExit64() async {
        let result = await CommandResult.run(["report", "devices", "--org", "a", "--since", "soon", "--key", "k"])
        XCTAssertEqual(result.code, 64)
        XCTAssertTrue(result.err.hasPrefix("parley: cannot read the time \"soon\""), result.err)
        let zone = await CommandResult.run(["report", "hourly", "--org", "a", "--tz", "Nowhere/City", "--key", "k"])
        XCTAssertEqual(zone.code, 64)
        let unknownFlag = await CommandResult.run(["report", "devices", "--frobnicate"])
        XCTAssertEqual(unknownFlag.code, 64)
    }

    func testUnreachableServerExits69() async {
        let result = await CommandResult.run(["report", "models", "--org", "a", "--addr", "127.0.0.1:1", "--key", "k"])
        XCTAssertEqual(result.code, 69)
        XCTAssertTrue(result.err.hasPrefix("parley: cannot reach the server"), result.err)
        XCTAssertEqual(result.err.split(separator: "\n").count, 1)
    }

    func testWrongKeyExits77() async throws {
        let server = try await LiveServer.start()
        let result = await CommandResult.run(["prices", "list", "--addr", server.address, "--key", "not-the-key"])
        await server.stop()
        XCTAssertEqual(result.code, 77)
        XCTAssertTrue(result.err.hasPrefix("parley: the server refused the key"), result.err)
    }

    func testDollarAmountsAreExact() throws {
        XCTAssertEqual(try DollarAmount.nanos("2.50"), 2_500_000_000)
        XCTAssertEqual(try DollarAmount.nanos("0.1"), 100_000_000)
        XCTAssertEqual(try DollarAmount.nanos("$10"), 10_000_000_000)
        XCTAssertEqual(try DollarAmount.nanos(".075"), 75_000_000)
        XCTAssertEqual(try DollarAmount.nanos("0.000000001"), 1)
        XCTAssertThrowsError(try DollarAmount.nanos("1e3"))
        XCTAssertThrowsError(try DollarAmount.nanos("-1"))
        XCTAssertThrowsError(try DollarAmount.nanos("99999999999"))
        XCTAssertEqual(DollarAmount.text(nanos: 2_500_000_000), "2.50")
        XCTAssertEqual(DollarAmount.text(nanos: 18_750_000), "0.01875")
    }

    func testMoneyAndDurations() {
        XCTAssertEqual(Format.money(nanos: 1_234_560_000_000), "$1,234.56")
        XCTAssertEqual(CostText.dollars(nanos: 1_234_567_890_123), "1234.567890123")
        XCTAssertEqual(Format.duration(ms: 200_000), "3m 20s")
        XCTAssertEqual(ByteCount.text(4096), "4.0 KiB")
    }

    func testProgressBarOnATerminal() {
        let terminal = Terminal.capturing(interactive: true)
        var t = 100.0
        let display = ProgressDisplay("import", terminal: terminal, clock: { t })
        t = 102
        display.update(done: 500, total: 2_000)
        display.finish("2,000 rows")
        XCTAssertEqual(terminal.errors,
                       "\rimport  [######..................]   25%  500/2,000  250/s  ETA 6.0 s\u{1B}[K\nimport: 2,000 rows\n")
    }

    func testProgressIsPlainLinesWhenPiped() {
        let terminal = Terminal.capturing(interactive: false)
        var t = 0.0
        let display = ProgressDisplay("check", terminal: terminal, clock: { t })
        for done in stride(from: 0, through: 100, by: 5) {
            t += 1
            display.update(done: Int64(done), total: 100)
        }
        let lines = terminal.errors.split(separator: "\n")
        XCTAssertEqual(lines.count, 11)
        XCTAssertFalse(terminal.errors.contains("\r"))
        XCTAssertEqual(lines.last, "check  [########################]  100%  100/100  5/s")
    }

    func testConnectionResolutionOrder() throws {
        let home = NSTemporaryDirectory() + "parley-home-\(UUID().uuidString)"
        let data = home + "/data"
        try FileManager.default.createDirectory(atPath: home + "/.config/parley", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        try "local-admin-key\n".write(toFile: data + "/admin.key", atomically: true, encoding: .utf8)
        var env = ["HOME": home, "PARLEY_DATA_DIR": data]

        var options = try ConnectionOptions.parse([])
        var config = try options.resolve(environment: env)
        XCTAssertEqual(config.apiKey, "local-admin-key", "the local admin.key comes last")
        XCTAssertEqual(config.host, "127.0.0.1")
        XCTAssertEqual(config.port, 7420)

        try "# parley\naddr = 10.0.0.5:7000\nkey = file-key # from the file\n".write(
            toFile: home + "/.config/parley/config", atomically: true, encoding: .utf8)
        config = try options.resolve(environment: env)
        XCTAssertEqual(config.apiKey, "file-key")
        XCTAssertEqual(config.host, "10.0.0.5")
        XCTAssertEqual(config.port, 7000)

        env["PARLEY_ADDR"] = "10.0.0.6:7001"
        env["PARLEY_KEY"] = "env-key"
        config = try options.resolve(environment: env)
        XCTAssertEqual(config.apiKey, "env-key")
        XCTAssertEqual(config.port, 7001)

        options = try ConnectionOptions.parse(["--addr", "10.0.0.7:7002", "--key", "flag-key"])
        config = try options.resolve(environment: env)
        XCTAssertEqual(config.apiKey, "flag-key")
        XCTAssertEqual(config.host, "10.0.0.7")

        XCTAssertThrowsError(try ConnectionOptions.parse([]).resolve(environment: ["HOME": home + "/none", "PARLEY_DATA_DIR": home + "/none"]))
        // The local admin.key goes to loopback addresses only.
        let remote = ["HOME": home + "/none", "PARLEY_DATA_DIR": data]
        XCTAssertThrowsError(try ConnectionOptions.parse(["--addr", "10.0.0.8:7420"]).resolve(environment: remote)) { error in
            XCTAssertEqual((error as? CLIError)?.exitCode, 64)
            XCTAssertTrue("\(error)".contains("loopback"), "\(error)")
        }
        XCTAssertEqual(try ConnectionOptions.parse(["--addr", "localhost:7420"]).resolve(environment: remote).apiKey, "local-admin-key")
        XCTAssertEqual(try ConnectionOptions.parse(["--addr", "127.0.0.2:7420"]).resolve(environment: remote).apiKey, "local-admin-key")
        XCTAssertThrowsError(try ConnectionOptions.parse(["--addr", "nope", "--key", "k"]).resolve(environment: env)) { error in
            XCTAssertEqual((error as? CLIError)?.exitCode, 64)
        }
    }

    func testOrganizationFromEnvironmentThenConfig() throws {
        let home = NSTemporaryDirectory() + "parley-home-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home + "/.config/parley", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        try "org = from-file\n".write(toFile: home + "/.config/parley/config", atomically: true, encoding: .utf8)
        let scope = try ScopeOptions.parse([])
        XCTAssertEqual(try scope.organization(environment: ["HOME": home]), "from-file")
        XCTAssertEqual(try scope.organization(environment: ["HOME": home, "PARLEY_ORG": "from-env"]), "from-env")
        XCTAssertEqual(try ScopeOptions.parse(["--org", "flag"]).organization(environment: ["HOME": home]), "flag")
        XCTAssertThrowsError(try scope.organization(environment: ["HOME": home + "/none"]))
    }

    func testHelpAndCompletionScripts() async {
        for shell in ["bash", "zsh", "fish"] {
            let result = await CommandResult.run(["--generate-completion-script", shell])
            XCTAssertEqual(result.code, 0, shell)
            XCTAssertTrue(result.out.contains("report"), "\(shell) completion names the subcommands")
            XCTAssertTrue(result.out.contains("parley"), shell)
        }
        let help = await CommandResult.run(["report", "models", "--help"])
        XCTAssertEqual(help.code, 0)
        XCTAssertTrue(help.out.contains("Example: parley report models"), help.out)
        XCTAssertTrue(help.out.contains("--since"), help.out)
    }
}
