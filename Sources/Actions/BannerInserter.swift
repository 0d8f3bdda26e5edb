import Foundation
import MailView

/// Puts a banner at the top of the first text/plain and the first text/html part the reader would see.
///
/// The structure comes from the message view's `MIMEOutline` (GMime's one parse of the message keeps
/// every leaf's content as a window on the original bytes), so each edited part's encoded content is
/// spliced into the original body and every other byte stays as it came. An edited part keeps its
/// transfer encoding and charset; a plain-text part whose charset cannot carry the banner is converted
/// to UTF-8 (its Content-Type, and a 7bit encoding, change with it); HTML never needs that, since
/// numeric character references fit any charset.
public enum BannerInserter {
    /// Places the banner in `body`, whose MIME tree is `outline` (the message view's, from the one parse).
    public static func insert(_ banner: Banner, outline: MIMEOutline, headers: [RawHeader], body: [UInt8]) -> BannerOutcome {
        guard outline.bodyLength == body.count, let root = outline.root else { return .skipped(.unsupported) }
        let targets: BannerTargets
        do {
            targets = try BannerTargets.find(root)
        } catch {
            return .skipped(error)
        }
        let chosen = [targets.plain, targets.html].compactMap { $0 }
        guard !chosen.isEmpty else { return .skipped(.noTextPart) }

        let lineEnding = ByteSearch.lineEnding(of: body) ?? "\r\n"
        var splices: [Splice] = []
        var headerChanges: [HeaderChange] = []
        var parts: [String] = []
        for target in chosen {
            let edit: PartEdit
            switch PartEdit.make(target, banner: banner, body: body, headers: headers, lineEnding: lineEnding) {
            case .success(let made): edit = made
            case .failure(.alreadyPresent): continue
            case .failure(let skip): return .skipped(skip)
            }
            splices += edit.splices
            headerChanges += edit.headerChanges
            parts.append(target.path)
        }
        guard !parts.isEmpty else { return .skipped(.alreadyPresent) }
        var newBody = body
        for splice in splices.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            newBody.replaceSubrange(splice.range, with: splice.bytes)
        }
        return .placed(BannerEdit(body: newBody, headerChanges: headerChanges, parts: parts))
    }

    /// Places the banner in a message that has no view yet (tools and tests): its outline is read first.
    public static func insert(_ banner: Banner, headers: [RawHeader], body: [UInt8]) -> BannerOutcome {
        let outline = MessageParser.outline(of: RawMessage(headers: headers, body: body))
        return insert(banner, outline: outline, headers: headers, body: body)
    }
}

/// Bytes to put in place of a range of the body.
struct Splice {
    var range: Range<Int>
    var bytes: [UInt8]
}
