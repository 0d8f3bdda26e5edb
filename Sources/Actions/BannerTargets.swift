import CGMime
import Foundation
import MailView

/// The parts to edit: the first text/plain and first text/html the reader would see.
struct BannerTargets {
    struct Part {
        var object: UnsafeMutablePointer<GMimeObject>
        var path: String
        var isHTML: Bool
        /// The enclosing multipart's boundary, or nil for a message that is a single part.
        var boundary: String?
    }

    var plain: Part?
    var html: Part?

    /// Walks what a mail client shows first: every branch of a multipart/alternative, the first part
    /// that shows anything of other multiparts (mixed, related…), never into attached messages.
    /// Deeper than this no client shows a part first, and the walk must not recurse without bound.
    static let maxDepth = 32

    static func find(_ object: UnsafeMutablePointer<GMimeObject>, path: String, boundary: String?, depth: Int) throws(BannerSkip) -> BannerTargets {
        guard depth <= maxDepth else { return BannerTargets() }
        let type = MessageParser.mimeType(of: object)
        if type == "multipart/signed" { throw .signed }
        if type == "multipart/encrypted" { throw .encrypted }
        if type == "application/pkcs7-mime" || type == "application/x-pkcs7-mime" {
            let smime = g_mime_object_get_content_type_parameter(object, "smime-type").map { String(cString: $0).lowercased() }
            throw smime == "signed-data" ? .signed : .encrypted
        }
        if gcm_is_multipart(object) != 0 {
            let multipart = gcm_multipart(object)
            let inner = g_mime_multipart_get_boundary(multipart).map { String(cString: $0) }
            var found = BannerTargets()
            for index in 0..<max(g_mime_multipart_get_count(multipart), 0) {
                guard let child = g_mime_multipart_get_part(multipart, index) else { continue }
                let below = try find(child, path: "\(path).\(index + 1)", boundary: inner, depth: depth + 1)
                found.plain = found.plain ?? below.plain
                found.html = found.html ?? below.html
                if type != "multipart/alternative", found.plain != nil || found.html != nil { break }
            }
            return found
        }
        guard gcm_is_part(object) != 0, type == "text/plain" || type == "text/html" else { return BannerTargets() }
        if let disposition = g_mime_object_get_content_disposition(object),
           g_mime_content_disposition_is_attachment(disposition) != 0 { return BannerTargets() }
        let part = Part(object: object, path: path, isHTML: type == "text/html", boundary: boundary)
        return part.isHTML ? BannerTargets(html: part) : BannerTargets(plain: part)
    }
}
