import Foundation
import MailView

/// Why a banner was not placed; the raw values go to the log and the audit record.
public enum BannerSkip: String, Sendable, Equatable {
    /// The text the reader sees is inside `multipart/signed` or S/MIME signed data: a banner would break the signature.
    case signed
    /// The text is inside `multipart/encrypted` or S/MIME enveloped data: there is no text to edit.
    case encrypted
    /// Every part the reader would see already carries this product's banner for this message.
    case alreadyPresent = "already-present"
    /// No text/plain or text/html part is shown first (only attachments, or a forwarded message).
    case noTextPart = "no-text-part"
    /// The body is larger than `MaximumBannerBytes` and was not kept whole.
    case tooLarge = "too-large"
    /// The MIME structure could not be read, a part's charset cannot be converted, or headers were
    /// cut at the `Maximum…` limits (the structure read might not be the message's).
    case unsupported
}

/// A top-level header to set (changed if present, added if not).
public struct HeaderChange: Sendable, Equatable {
    public var name: String
    public var value: String

    /// Where the header to change is among `headers` (the first of that name, case-insensitively), or
    /// nil when it is to be added: the one rule for the edit on a RawMessage and through the MTA.
    public func index(in headers: [RawHeader]) -> Int? {
        headers.firstIndex { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }
}

/// The banner placed: the new body, the top-level header changes, and which parts (MIME paths) got it.
public struct BannerEdit: Sendable, Equatable {
    public var body: [UInt8]
    public var headerChanges: [HeaderChange]
    public var parts: [String]
}

extension BannerEdit {
    /// The edit as steps for the MTA, top-level header changes before the new body as the MTA requires:
    /// a header present in `headers` is changed (the MTA counts headers of one name from 1, the first as
    /// `HeaderChange.index(in:)` finds it), one absent is added.
    public func steps(headers: [RawHeader]) -> [ActionStep] {
        headerChanges.map { change in
            change.index(in: headers) != nil
                ? .changeHeader(name: change.name, index: 1, value: change.value)
                : .addHeader(name: change.name, value: change.value)
        } + [.replaceBody(body)]
    }
}

public enum BannerOutcome: Sendable, Equatable {
    case placed(BannerEdit)
    case skipped(BannerSkip)
}

extension BannerSkip: Error {}
