import ArgumentParser
import Foundation
import Correlation
import Detection
import GiftCardMilter
import Logging
import MailView

struct ConfigTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "configtest",
        abstract: "Check a configuration file and print the settings in effect; exit non-zero on errors."
    )

    @OptionGroup var options: ConfigOption

    @Option(name: .customLong("postfix-config"), help: ArgumentHelp("Postfix configuration directory to check header_checks in (postconf -c).", valueName: "DIR"))
    var postfixConfig: String?

    @Flag(name: .long, help: ArgumentHelp("Print the configuration reference (a Markdown table of every key) and exit; scripts/make-manpages puts it in docs/configuration.md and giftcard-milter.conf(5).", visibility: .hidden))
    var reference = false

    func run() throws {
        if reference {
            print(ConfigurationKey.referenceTable())
            return
        }
        let config: Configuration
        do {
            config = try options.load()
        } catch {
            throw fail("\(error)")
        }
        // Users and groups the daemon would fail on only when it starts: name them now.
        if let userID = config.userID {
            do { _ = try Daemon.account(userID) } catch { throw fail("\(options.config ?? Configuration.defaultPath): \(error)") }
        }
        if let group = config.socketGroup, getgrnam(group) == nil {
            throw fail("\(options.config ?? Configuration.defaultPath): SocketGroup: no group named '\(group)'")
        }
        // Every key's value in effect, from the one key table; then what only a look around can tell.
        for key in Configuration.keys {
            for line in key.lines(config) { print(line) }
        }
        if let problem = forgeryProblem(config) {
            // Not fatal (a non-Postfix MTA may remove them its own way), but forged passes would be believed.
            FileHandle.standardError.write(Data("giftcard-milter: warning: \(problem)\n".utf8))
        }
        if let problem = Self.stateProblem(config) {
            // Not fatal: the daemon still starts and correlates in memory, but the postmaster must know.
            FileHandle.standardError.write(Data("giftcard-milter: warning: \(problem)\n".utf8))
        }
        if let location = config.stateDatabase {
            switch Self.databaseCheck(config, at: location) {
            case .answers(let line):
                print(line)
            case .unreachable(let cause):
                // Not fatal, like an unusable state file: the daemon starts (the unit runs configtest
                // first) and judges with this host's memory until the database answers.
                FileHandle.standardError.write(Data("giftcard-milter: warning: StateDatabase \(location) does not answer (\(cause)); the daemon would judge with this host's memory until it does\n".utf8))
            case .unusable(let problem):
                throw fail("StateDatabase \(location): \(problem)")
            }
        }
        print("configuration OK")
    }

    /// What a sender could forge, if Postfix does not remove inbound copies of the trusted ids' headers
    /// in every form (`AuthservIDForgeries`).
    func forgeryProblem(_ config: Configuration) -> String? {
        let ids = config.trustedAuthservIDs
        guard !ids.isEmpty else { return nil }
        let consequence = "a sender can write an Authentication-Results with that id as his message's first header and a scam "
            + "would pass as the brand's authenticated mail; add the header_checks IGNORE rules from packaging/postfix/header_checks"
        func list(_ forms: [String: [String]]) -> String {
            forms.keys.sorted().map { "\($0) (\(forms[$0]!.joined(separator: ", ")))" }.joined(separator: "; ")
        }
        switch PostfixHeaderChecks.check(ids: ids, configDirectory: postfixConfig) {
        case .removed:
            print("# Postfix header_checks removes inbound Authentication-Results for \(ids.joined(separator: ", ")) in all \(AuthservIDForgeries.forms(of: ids[0]).count) forged forms tried")
            return nil
        case .kept(let believed, let disguised):
            if !believed.isEmpty {
                return "Postfix header_checks does not remove inbound Authentication-Results for \(list(believed)): " + consequence
            }
            return "Postfix header_checks keeps disguised inbound Authentication-Results for \(list(disguised)); giftcard-milter "
                + "refuses these itself, but OpenDMARC and other readers may believe them: use the header_checks rules from "
                + "packaging/postfix/header_checks"
        case .unknown(let why):
            return "could not ask Postfix whether header_checks removes inbound Authentication-Results (\(why)); unless the MTA removes them, "
                + consequence
        }
    }

    enum DatabaseCheck {
        /// It answers; what configtest prints about its schema.
        case answers(String)
        /// Down, slow or refusing the login: the daemon would run without sharing until it answers.
        case unreachable(String)
        /// A problem no waiting mends: an unreadable or loose password file, a schema newer than this build.
        case unusable(String)
    }

    /// Asks the shared database for its schema version (one query, up to 5 s).
    static func databaseCheck(_ config: Configuration, at location: PostgresLocation) -> DatabaseCheck {
        let store: PostgresCorrelationStore
        do {
            store = try Daemon.sharedDatabase(config, at: location, timeout: .seconds(5), logger: Logger(label: "giftcard-milter"))
        } catch {
            return .unusable("\(error)")
        }
        defer { store.close() }
        let version: Int
        do { version = try store.schemaVersion() } catch { return .unreachable("\(error)") }
        let current = PostgresCorrelationStore.currentSchemaVersion
        if version > current { return .unusable("its schema is version \(version), newer than this build's \(current): upgrade this host") }
        return .answers(version == current ? "# StateDatabase answers; schema version \(version) (current)"
                        : "# StateDatabase answers; schema version \(version), the daemon migrates it to \(current) at start")
    }

    /// Why the correlation state would not be kept on disk, if it would not. An existing store is opened
    /// and probed; a missing one is not created here (configtest may run as another user than the
    /// daemon), only its directory checked.
    static func stateProblem(_ config: Configuration) -> String? {
        let path = Daemon.statePath(config)
        if FileManager.default.fileExists(atPath: path) {
            if case .failure(let error) = Daemon.stateStore(config) {
                return "correlation state \(path) unusable (\(error)); bulk detection would keep its state in memory"
            }
            return nil
        }
        if !FileManager.default.fileExists(atPath: config.stateDirectory) { return nil }  // the daemon creates it
        if access(config.stateDirectory, W_OK) != 0 {
            return "StateDirectory \(config.stateDirectory) is not writable by this user; bulk detection would keep its state in memory"
        }
        return nil
    }
}
