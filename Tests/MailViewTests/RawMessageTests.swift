import Testing
@testable import MailView

@Suite struct RawMessageTests {
    @Test func splitsHeadersAndBodyWithFolding() {
        let raw = RawMessage(parsing: Array("Subject: one\r\n two\r\nFrom: a@b.c\r\n\r\nbody\r\n".utf8))
        #expect(raw.headers.map(\.name) == ["Subject", "From"])
        #expect(String(decoding: raw.headers[0].value, as: UTF8.self) == "one\n two")
        #expect(raw.body == Array("body\r\n".utf8))
    }

    @Test func lineWithoutColonStartsTheBody() {
        let raw = RawMessage(parsing: Array("From: a@b.c\nthis is no header\nmore\n".utf8))
        #expect(raw.headers.count == 1)
        #expect(String(decoding: raw.body, as: UTF8.self) == "this is no header\nmore\n")
    }

    @Test func mboxFromLineIsSkipped() {
        let raw = RawMessage(parsing: Array("From sender@x Sat Nov 28 10:00:00 2026\nSubject: hi\n\nbody".utf8))
        #expect(raw.headers.map(\.name) == ["Subject"])
    }

    @Test func keepsEightBitHeaderBytes() {
        let raw = RawMessage(parsing: [0x53, 0x3A, 0x20, 0xFF, 0xC7, 0x0A, 0x0A])
        #expect(raw.headers.first?.value == [0xFF, 0xC7])
    }

    @Test func bodyIsKeptWithinTheLimit() {
        var limits = MessageLimits()
        limits.maxBodyBytes = 4
        // One line longer than the limit: its beginning (half the limit, the rest is for a part's end).
        let raw = RawMessage(parsing: Array("S: x\n\n0123456789".utf8), limits: limits)
        #expect(raw.body == Array("01".utf8))
        #expect(raw.bodyTruncated)
        // Lines: the first ones and the last ones, whole.
        limits.maxBodyBytes = 16
        let lines = RawMessage(parsing: Array("S: x\n\na\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n".utf8), limits: limits)
        #expect(lines.body == Array("a\nb\nc\nd\nl\n".utf8))
    }

    @Test func serializedRoundTripUsesCRLF() {
        let raw = RawMessage(headers: [RawHeader("Subject", "a\n\tb")], body: Array("x".utf8))
        #expect(String(decoding: raw.serialized(), as: UTF8.self) == "Subject: a\r\n\tb\r\n\r\nx")
    }

    /// The one owner of the body: what is inspected, the whole body when it is kept, and why not, for
    /// every split of the body into chunks.
    @Test(arguments: [1, 3, 7, 64])
    func theWholeBodyIsKeptBesideTheInspectedOneWithinItsLimit(chunk: Int) {
        var limits = MessageLimits()
        limits.maxBodyBytes = 16
        let body = Array("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n".utf8)
        func collect(wholeLimit: Int?) -> RawMessage {
            var raw = RawMessage(keepingWholeBodyUpTo: wholeLimit)
            var offset = 0
            while offset < body.count {
                raw.appendBody(body[offset..<min(offset + chunk, body.count)], limits: limits)
                offset += chunk
            }
            raw.finishBody()
            return raw
        }
        // Within the banner limit: whole, and inspected sparsely past MaximumBodyBytes.
        let kept = collect(wholeLimit: 64)
        #expect(kept.wholeBody == body && !kept.wholeBodyTooLarge)
        #expect(kept.body == Array("a\nb\nc\nd\nl\n".utf8) && !kept.inspectsWholeBody)
        // Past it: only the inspected body, and why.
        let tooLarge = collect(wholeLimit: 10)
        #expect(tooLarge.wholeBody == nil && tooLarge.wholeBodyTooLarge)
        #expect(tooLarge.body == kept.body)
        // Not asked: whole only while nothing was read sparsely.
        #expect(collect(wholeLimit: nil).wholeBody == nil)
        limits.maxBodyBytes = 64
        let small = collect(wholeLimit: nil)
        #expect(small.wholeBody == body && small.inspectsWholeBody)
        let both = collect(wholeLimit: 64)
        #expect(both.wholeBody == body && both.body == body && both.inspectsWholeBody)
    }
}
