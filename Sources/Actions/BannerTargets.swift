import Foundation
import MailView

/// The parts to edit: the first text/plain and first text/html the reader would see.
struct BannerTargets {
    var plain: MIMEPart?
    var html: MIMEPart?

    /// Walks what a mail client shows first: every branch of a multipart/alternative, the first part
    /// that shows anything of other multiparts (mixed, related…), never into attached messages.
    /// Deeper than this no client shows a part first, and the walk must not recurse without bound.
    static let maxDepth = 32

    static func find(_ part: MIMEPart, depth: Int = 0) throws(BannerSkip) -> BannerTargets {
        guard depth <= maxDepth else { return BannerTargets() }
        if part.mimeType == "multipart/signed" { throw .signed }
        if part.mimeType == "multipart/encrypted" { throw .encrypted }
        if part.mimeType == "application/pkcs7-mime" || part.mimeType == "application/x-pkcs7-mime" {
            throw part.smimeType == "signed-data" ? .signed : .encrypted
        }
        if part.kind == .multipart {
            var found = BannerTargets()
            for child in part.children {
                let below = try find(child, depth: depth + 1)
                found.plain = found.plain ?? below.plain
                found.html = found.html ?? below.html
                if part.mimeType != "multipart/alternative", found.plain != nil || found.html != nil { break }
            }
            return found
        }
        guard part.kind == .leaf, part.mimeType == "text/plain" || part.mimeType == "text/html", !part.isAttachment else { return BannerTargets() }
        return part.mimeType == "text/html" ? BannerTargets(html: part) : BannerTargets(plain: part)
    }
}
