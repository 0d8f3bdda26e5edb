import ArgumentParser
import GiftCardMilter
import Logging
import Milter

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the milter in the foreground until SIGTERM or SIGINT."
    )

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: ArgumentHelp("Listen here instead of the configured Socket: inet:PORT@HOST, inet6:PORT@HOST, unix:/path or local:/path.", valueName: "SPEC"))
    var socket: String?

    func run() throws {
        var config: Configuration
        do {
            config = try options.load()
            if let socket { config.socket = try SocketSpec(parsing: socket) }
        } catch {
            throw fail("\(error)")
        }
        let destination: LineLogHandler.Destination = config.syslog ? .syslog : .standardError
        if config.syslog {
            LineLogHandler.openSyslog(identifier: "giftcard-milter", facility: SyslogFacility.code(config.syslogFacility) ?? SyslogFacility.mail)
        }
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { _ in LineLogHandler(destination: destination, level: level) }
        let logger = Logger(label: "giftcard-milter")
        do {
            // SIGHUP reads the same file again (with the same --socket, which cannot change live anyway).
            let path = options.config, socketOverride = config.socket
            try Daemon(configuration: config, logger: logger, reload: {
                var fresh = try ConfigOption.load(path: path)
                fresh.socket = socketOverride
                return fresh
            }).run()
        } catch {
            logger.error("cannot start: \(error)")
            throw ExitCode(71)
        }
    }
}
