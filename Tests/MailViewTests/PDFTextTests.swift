import Foundation
import Testing
@testable import MailView

/// A one-page PDF with lines of text in Helvetica, written by hand: the fixtures' PDFs.
func makePDF(_ lines: [String]) -> [UInt8] {
    let content = "BT /F1 12 Tf 72 720 Td " + lines.map { "(\($0)) Tj 0 -16 Td" }.joined(separator: " ") + " ET"
    let objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
                   "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    var out = "%PDF-1.4\n"
    var offsets: [Int] = []
    for (index, object) in objects.enumerated() {
        offsets.append(out.utf8.count)
        out += "\(index + 1) 0 obj\n\(object)\nendobj\n"
    }
    let xref = out.utf8.count
    out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n" + offsets.map { String(format: "%010d 00000 n \n", $0) }.joined()
    out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
    return Array(out.utf8)
}

/// The PDF helper as the milter runs it: a real `giftcard-pdftext` process (built beside the tests).
@Suite struct PDFTextTests {
    @Test func theHelperIsFound() {
        #expect(PDFText.helper != nil, "giftcard-pdftext is built with the tests (swift build --build-tests)")
    }

    @Test func aPDFsTextIsRead() throws {
        let pdf = makePDF(["Invoice INV-5521: Norton 360 renewal $499.99", "If you did not authorize this, call +1 (828) 423-1316"])
        let text = try PDFText.extract(pdf).get()
        #expect(text.contains("Norton 360 renewal $499.99"))
        #expect(text.contains("+1 (828) 423-1316"))
    }

    /// A malformed PDF costs only its own text: a failure, quickly, and the caller goes on.
    @Test(arguments: [Array("%PDF-1.4\n1 0 obj << /Type /Catalog".utf8), Array(repeating: 0xFF, count: 4096), []])
    func aMalformedPDFIsAFailureNotACrash(_ bytes: [UInt8]) {
        let started = ContinuousClock.now
        let result = PDFText.extract(bytes)
        #expect(ContinuousClock.now - started < .seconds(2))
        if case .success(let text) = result { #expect(text.isEmpty) }
    }

    /// A helper that hangs is killed at the deadline; one that exits without reading its input leaves the
    /// milter unharmed (no SIGPIPE).
    @Test func aHangingHelperIsKilledAndAnEarlyExitIsNoSignal() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pdftext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let hanging = directory.appendingPathComponent("hang").path
        try "#!/bin/sh\nexec sleep 30\n".write(toFile: hanging, atomically: true, encoding: .utf8)
        chmod(hanging, 0o755)
        let started = ContinuousClock.now
        #expect(PDFText.extract(Array(repeating: 0x41, count: 100), timeout: .milliseconds(300), helper: hanging) == .failure(.timedOut))
        #expect(ContinuousClock.now - started < .seconds(2))
        let quitting = directory.appendingPathComponent("quit").path
        try "#!/bin/sh\nexit 7\n".write(toFile: quitting, atomically: true, encoding: .utf8)
        chmod(quitting, 0o755)
        let result = PDFText.extract(Array(repeating: 0x41, count: 3 << 20), helper: quitting)
        #expect(result != .success(""))
        #expect(PDFText.extract([1, 2, 3], helper: directory.appendingPathComponent("missing").path) == .failure(.spawnFailed(ENOENT)))
    }

    /// "Invoice attached": a short body and the callback number in the PDF.
    @Test func aShortMessagesPDFIsPartOfWhatItShows() {
        let pdf = makePDF(["Norton 360 renewal $499.99, order NP-5521", "If you did not authorize this, call +1 (828) 423-1316"])
        let encoded = Data(pdf).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        let message = "From: x@y.example\nSubject: Requested invoice\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
            + "--b\nContent-Type: text/plain\n\nConfirmed by paid customer.\n--b\nContent-Type: application/pdf; name=invoice.pdf\n"
            + "Content-Disposition: attachment; filename=invoice.pdf\nContent-Transfer-Encoding: base64\n\n\(encoded)\n--b--\n"
        var view = MessageParser.parse(RawMessage(parsing: Array(message.utf8)))
        #expect(view.textParts.contains { $0.mimeType == "application/pdf" && $0.text.contains("Norton 360") })
        MessageParser.addDetails(to: &view)
        #expect(view.phoneNumbers.map(\.digits).contains("+18284231316"))
    }
}
