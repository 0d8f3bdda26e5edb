import Foundation

/// Domains where anyone gets an address or a page under a name of their own choosing: free mailbox
/// providers, form platforms, free web hosts, URL shorteners (`Domains/platforms.conf`, compiled in).
///
/// A trusted pass for such a domain proves which provider sent the message, not who wrote it, so mail
/// from one is never "the sender's own business"; a link to a free host or a shortener is where lures
/// park their forms. The postmaster adds sender domains (`OpenPlatformDomains`).
public struct OpenPlatforms: Sendable {
    /// Registrable domains of free mailbox providers.
    public private(set) var freemail: Set<String> = []
    /// Registrable domains whose users send under the platform's own domain (form and survey platforms,
    /// and what the postmaster adds).
    public private(set) var forms: Set<String> = []
    /// Free web hosts: the suffix and every name under it.
    public private(set) var hostSuffixes: Set<String> = []
    public private(set) var shorteners: Set<String> = []

    public init() {}

    /// Reads `KIND DOMAIN` lines (`#` comments); an unknown kind is an error naming the line.
    public init(text: String) throws(OpenPlatformsError) {
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }
            guard fields.count == 2, fields[1].contains(".") else {
                throw OpenPlatformsError(description: "line \(number + 1): 'KIND DOMAIN' expected, found '\(line)'")
            }
            switch fields[0] {
            case "freemail": freemail.insert(fields[1])
            case "forms": forms.insert(fields[1])
            case "host": hostSuffixes.insert(fields[1])
            case "shortener": shorteners.insert(fields[1])
            default: throw OpenPlatformsError(description: "line \(number + 1): unknown kind '\(fields[0])' (freemail, forms, host, shortener)")
            }
        }
    }

    /// The compiled-in list.
    public static let builtin: OpenPlatforms = {
        // The shipped file is checked by the tests; reading it cannot fail at run time.
        (try? OpenPlatforms(text: String(decoding: PackageResources.platforms_conf, as: UTF8.self))) ?? OpenPlatforms()
    }()

    /// Adds sender domains (the postmaster's `OpenPlatformDomains`).
    public mutating func addSenders(_ domains: [String]) {
        forms.formUnion(domains.map { $0.lowercased() })
    }

    /// A free mailbox provider's domain.
    public func isFreemail(registrable: String) -> Bool { freemail.contains(registrable) }

    /// A sender domain whose users choose their own names: free mail, a form platform, a free host.
    public func isOpenSender(_ domain: String, registrable: String) -> Bool {
        freemail.contains(registrable) || forms.contains(registrable) || isFreeHost(domain)
    }

    /// A bare IPv4/IPv6 host, a URL shortener or a free web host (the kinds rspamd lists as redirectors
    /// and free hosting): a brand's own mail links to its own domains.
    public func isRiskyHost(_ host: String, registrable: String) -> Bool {
        let host = host.lowercased()
        if host.hasPrefix("[") || (!host.isEmpty && host.allSatisfy { $0.isNumber || $0 == "." }) { return true }
        return shorteners.contains(registrable) || isFreeHost(host)
    }

    /// The host or a parent of it ("a.b.web.app", "b.web.app", "web.app") is a free host's suffix.
    func isFreeHost(_ host: String) -> Bool {
        var rest = Substring(host.lowercased())
        while !rest.isEmpty {
            if hostSuffixes.contains(String(rest)) { return true }
            guard let dot = rest.firstIndex(of: ".") else { break }
            rest = rest[rest.index(after: dot)...]
        }
        return false
    }
}

/// Why a platforms list could not be read.
public struct OpenPlatformsError: Error, Sendable, CustomStringConvertible {
    public let description: String
}
