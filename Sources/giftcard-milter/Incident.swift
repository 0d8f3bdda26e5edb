import ArgumentParser
import Correlation
import Detection
import Foundation
import GiftCardMilter
import Logging

/// `giftcard-milter incident add|list|remove`: incidents the postmaster declares. They live in the
/// correlation state, where a running daemon sees them within seconds, without a restart.
struct IncidentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident",
        abstract: "Declare, list or end incidents: mail from a sender that is known to have been sent in error.",
        subcommands: [Add.self, List.self, Remove.self]
    )

    /// `--config` and `--state`, shared by the subcommands.
    struct StateOptions: ParsableArguments {
        @OptionGroup var options: ConfigOption

        @Option(name: .long, help: ArgumentHelp("State file (default: the configuration's StateDatabase, or StateDirectory/state.sqlite).", valueName: "FILE"))
        var state: String?

        /// The store the daemon reads: the shared database when the configuration names one (so an
        /// incident declared here applies on every mail server within seconds), else the state file.
        func open() throws -> any IncidentStore {
            do {
                if let state { return try SQLiteCorrelationStore(path: state) }
                let config = try options.load()
                if let location = config.stateDatabase {
                    return try Daemon.sharedDatabase(config, at: location, timeout: .seconds(10), logger: Logger(label: "giftcard-milter"))
                }
                return try SQLiteCorrelationStore(path: Daemon.statePath(config))
            } catch {
                throw fail("\(error)")
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Declare an incident.")

        @OptionGroup var state: StateOptions

        @Option(name: .long, help: "Sender domain the incident is about (its subdomains too).")
        var senderDomain: String

        @Option(name: .long, help: "Words the message must contain (any language; matched like detection matches). Empty: every message from the domain.")
        var phrase: String = ""

        @Option(name: .long, help: ArgumentHelp("Start, ISO 8601 (default: now).", valueName: "TIME"))
        var from: String?

        @Option(name: .long, help: ArgumentHelp("End, ISO 8601 (default: 48 hours after the start).", valueName: "TIME"))
        var until: String?

        @Option(name: .long, help: "What the banner and the log say about these messages.")
        var explanation: String

        func run() throws {
            let starts = try from.map(IncidentCommand.date) ?? Date()
            let ends = try until.map(IncidentCommand.date) ?? starts.addingTimeInterval(48 * 3600)
            guard ends > starts else { throw fail("--until must be after --from") }
            guard senderDomain.contains("."), !senderDomain.contains("@"), !senderDomain.contains(" ") else {
                throw fail("--sender-domain '\(senderDomain)' is not a domain name")
            }
            let store = try state.open()
            let id = try store.addIncident(DeclaredIncident(senderDomain: senderDomain, phrase: phrase, starts: starts,
                                                            ends: ends, explanation: explanation))
            print("incident \(id) declared: \(senderDomain), \(IncidentCommand.format(starts)) to \(IncidentCommand.format(ends))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List declared incidents.")

        @OptionGroup var state: StateOptions

        func run() throws {
            let now = Date()
            for incident in try state.open().listIncidents() {
                let status = incident.ends < now ? "ended" : incident.starts > now ? "future" : "active"
                print("\(incident.id)\t\(status)\t\(incident.senderDomain)\t\(IncidentCommand.format(incident.starts))\t\(IncidentCommand.format(incident.ends))\tphrase=\(incident.phrase.isEmpty ? "-" : incident.phrase)\t\(incident.explanation)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End an incident now (delete it).")

        @OptionGroup var state: StateOptions

        @Argument(help: "Incident id, as `incident list` shows it.")
        var id: Int64

        func run() throws {
            guard try state.open().removeIncident(id: id) else { throw fail("no incident \(id)", code: 65) }
            print("incident \(id) removed")
        }
    }

    // ISO 8601 through FoundationEssentials' format style, which needs none of Foundation's ICU data
    // (see Sources/CFoundationICUData): a full time in UTC, or a date alone meaning its midnight UTC.
    static func date(_ text: String) throws -> Date {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day()) { return date }
        throw fail("'\(text)' is not an ISO 8601 time like 2026-11-28T10:00:00Z")
    }

    static func format(_ date: Date) -> String { date.formatted(.iso8601) }
}
