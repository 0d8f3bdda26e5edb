import Detection
import Foundation
import MailView

/// What the banner needs besides the message: texts, help URL, size limit, and this installation's key.
public struct BannerSettings: Sendable {
    public var templates: BannerTemplates
    public var helpURL: String?
    /// Bodies larger than this are not kept whole, so they get headers only (`banner=too-large`).
    public var maximumBytes: Int
    /// Secret of this installation: banner references are keyed with it (see `BannerSeal`).
    public var key: [UInt8]

    /// `MaximumBannerBytes`' default: 10 MiB.
    public static let defaultMaximumBytes = 10 * 1024 * 1024

    public init(templates: BannerTemplates = .builtIn, helpURL: String? = nil, maximumBytes: Int = BannerSettings.defaultMaximumBytes,
                key: [UInt8] = BannerSettings.randomKey()) {
        self.templates = templates
        self.helpURL = helpURL
        self.maximumBytes = maximumBytes
        self.key = key
    }

    /// The banner for a verdict on this message, or nil for verdicts that get none.
    public func banner(for verdict: Verdict, view: MessageView, brands: BrandRegistry) -> Banner? {
        let names = verdict.brand.flatMap { brands.brand(id: $0)?.names } ?? []
        // Without a Message-ID, what identifies the message through a re-injection: sender, date, subject.
        let fallback = [view.from?.address ?? "", view.date ?? "", view.subject].joined(separator: "\n")
        let seal = BannerSeal(key: key, messageID: view.messageID, fallback: fallback)
        return Banner(verdict: verdict, brandNames: names, templates: templates, seal: seal, helpURL: helpURL)
    }

    /// Places the banner in the message's whole body under its headers: `too-large` when the body was
    /// not kept whole, `unsupported` when headers were cut at the `Maximum…` limits (a dropped or
    /// shortened Content-Type would make GMime read the body as something else, and the banner would
    /// land in the wrong place). `outline` is the message view's, made from `raw.body`: it describes the
    /// whole body when `raw` inspected all of it; otherwise (the inspected body was read sparsely past
    /// `MaximumBodyBytes`) the whole body's outline is read here, the one case a message is parsed twice.
    public func place(_ note: Banner, in raw: RawMessage, outline: MIMEOutline) -> BannerOutcome {
        guard let body = raw.wholeBody else { return .skipped(.tooLarge) }
        guard raw.limitsReached.isDisjoint(with: [.headers, .headerBytes]) else { return .skipped(.unsupported) }
        guard raw.inspectsWholeBody else { return BannerInserter.insert(note, headers: raw.headers, body: body) }
        return BannerInserter.insert(note, outline: outline, headers: raw.headers, body: body)
    }

    public static func randomKey() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The key kept in `directory/banner.key`, created (mode 0600) if missing, so references survive
    /// restarts and re-injected mail is still recognised. If the file cannot be read or written, a key
    /// for this run only is returned with the reason. With `create` false a missing file stays missing
    /// (`check --banner` previews with the installation's key, and never makes one).
    public static func loadKey(directory: String, create: Bool = true) -> (key: [UInt8], problem: String?) {
        let path = (directory as NSString).appendingPathComponent("banner.key")
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                return (randomKey(), "cannot read \(path): using a key for this run only, so banner references change at restart")
            }
            if data.count >= 16 { return (Array(data), nil) }
            return (randomKey(), "\(path) holds \(data.count) bytes, fewer than the 16 a key needs: using a key for this run only, "
                + "so banner references change at restart (remove the file and a new key is made)")
        }
        let key = randomKey()
        guard create else { return (key, nil) }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            return (key, "cannot create \(path) (\(String(cString: strerror(errno)))); banner references change at restart")
        }
        defer { close(descriptor) }
        let written = key.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        return (key, written == key.count ? nil : "cannot write \(path); banner references change at restart")
    }
}
