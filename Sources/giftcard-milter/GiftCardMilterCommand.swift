import ArgumentParser
import Foundation
import Detection
import GiftCardMilter
import Logging

@main
struct GiftCardMilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "giftcard-milter",
        abstract: "A mail filter that tells genuine, erroneous and suspicious gift-card confirmations apart.",
        version: Daemon.version,
        subcommands: [Run.self, Check.self, ConfigTest.self, Audit.self, IncidentCommand.self]
    )
}

/// `--config FILE`, shared by every subcommand.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file.", valueName: "FILE"))
    var config: String?

    /// The file named with --config (which must exist), else the default path if it exists, else
    /// the embedded defaults.
    func load() throws -> Configuration { try Self.load(path: config) }

    static func load(path config: String?) throws -> Configuration {
        // The compiled-in rule data is part of every command's configuration: never judge with a broken one.
        if let problem = Scores.shippedProblem { throw ConfigurationError(file: "giftcard-milter", line: 0, key: "", message: problem) }
        if let config { return try ConfigurationParser.load(path: config) }
        if FileManager.default.fileExists(atPath: Configuration.defaultPath) {
            return try ConfigurationParser.load(path: Configuration.defaultPath)
        }
        return Configuration()
    }
}

/// Prints a message to standard error and exits with a failure status.
func fail(_ message: String, code: Int32 = 78) -> ExitCode {
    FileHandle.standardError.write(Data("giftcard-milter: \(message)\n".utf8))
    return ExitCode(code)
}
