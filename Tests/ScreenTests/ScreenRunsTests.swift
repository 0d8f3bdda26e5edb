import MailView
import ScreenCheck
import Testing

/// The runs the screen reads from a text part (`ScreenRuns`): what it joins, what it removes, and
/// what makes it refuse, case by case; then the property on generated HTML and plain text.
@Suite struct ScreenRunsTests {
    static func html(_ text: String) -> String? {
        var runs: [UInt8] = []
        return ScreenRuns.appendHTML(text, maxDepth: 400, to: &runs) ? String(decoding: runs, as: UTF8.self) : nil
    }

    static func plain(_ text: String) -> String? {
        var runs: [UInt8] = []
        return ScreenRuns.appendPlain(text, to: &runs) ? String(decoding: runs, as: UTF8.self) : nil
    }

    @Test(arguments: [
        // Tags inside a word join it, as the reader sees it.
        ("Your gi<b>ft</b> <i>Card</i>", "your giftcard"),
        // A numeric entity is decoded, letters too.
        ("g&#105;ft", "gift"),
        // Comments, scripts and styles go with nothing in their place (their extent is certain).
        ("gi<!-- x -->ft", "gift"),
        ("gi<script>if (a<b) x('</b>')</script>ft", "gift"),
        ("gi<style>p { color: red }</STYLE >ft", "gift"),
        // Entities that decode to punctuation or spaces separate runs.
        ("gift&nbsp;card &amp; more&#39;s", "gift card more s"),
        // A literal `<` before no name is text.
        ("a <3b", "a 3b"),
        // A quoted value may hold `>`.
        ("<a title='x>y' href=\"u\">link</a>", "link"),
        // `display:none` on a link's style is no hiding, so a word right before it is fine.
        ("see<a style=\"text-decoration:none\">here</a>", "seehere"),
        // A hidden element is fine when no letter or digit stands right before it.
        ("Hi <span style=\"display: NONE\">pre</span>header", "hi preheader"),
        // A blank between two tags may be dropped by libxml2: the words around it join here.
        ("gift<b></b> <i>card</i>", "giftcard"),
        // Block tags are line breaks to the reader; joining them is only more careful.
        ("<p>gift</p><p>card</p>", "giftcard"),
        // Safe non-ASCII characters separate runs.
        ("gift\u{2013}card \u{2019}s \u{20AC}5", "gift card s 5"),
    ])
    func htmlRuns(_ input: String, _ expected: String) throws {
        let runs = try #require(Self.html(input), "refused: \(input)")
        #expect(runs.split(separator: " ").joined(separator: " ") == expected, "\(input)")
    }

    @Test func imageTextIsReadToo() throws {
        let runs = try #require(Self.html("<p>Hello<img src=\"a.png\" alt=\"Gift &amp; card\"></p>"))
        #expect(runs.contains("hello"))
        #expect(runs.contains("gift") && runs.contains("card"))
    }

    @Test(arguments: [
        "gi&shy;ft",                                  // an entity the screen does not know
        "gift&amp card",                              // an entity without its `;`
        "gi<span style=\"display:none\">x</span>ft",  // hidden right after a letter
        "gi<span hidden>x</span>ft",
        "x<title>t</title>y",
        "a<span style=\"color:&#114;ed\">b</span>",  // an entity in a style right after a letter
        "<a \"x>y\">z",                               // a quote that opens no value: libxml2 reads it otherwise
        "<a b=c\"d>e\">f",
        "<!-->gift",                                  // comments libxml2 versions end differently
        "<!-- a --!> b -->c",
        "<!-- never closed",
        "<![CDATA[gift]]>",
        "<?xml version=\"1.0\"?>",
        "</ x>",
        "<_x>gift",
        "<b unterminated",
        "<script/>gift",                              // closed at once by libxml2
        "<script>x</scripts>y</script>",              // an end tag that leaves the script open
        "<script>never closed",
        "gi\u{1}ft",                                  // a control character
        "caf\u{E9}",                                  // a letter outside ASCII
        "gi\u{200B}ft",                               // zero-width space
        "\u{FF47}ift",                                // a full-width letter
        "gi\u{0301}ft",                               // a combining mark
        "\u{0430}mazon",                              // a Cyrillic look-alike
        "\u{2122}",                                   // a symbol that normalizes to letters
        "\u{00B2}",                                   // a digit in disguise
    ])
    func htmlRefused(_ input: String) {
        #expect(Self.html(input) == nil, "\(input)")
    }

    @Test func plainTextRuns() {
        #expect(Self.plain("Your Gift-Card, \u{201C}order\u{201D}\u{2026}") == "your gift card order ")
        #expect(Self.plain("gi\u{0}ft") == "gi ft ")  // normalization keeps NUL as punctuation
        #expect(Self.plain("r\u{E9}compense") == nil)
        #expect(Self.plain("emoji \u{1F381} ok") == "emoji ok ")
        #expect(Self.plain("heart \u{2764}\u{FE0F}") == nil)  // the variation selector vanishes in normalization
    }

    /// Words, markup and characters that the scanner must read as libxml2 does, shuffled: for every
    /// generated document the screen accepts, every run of the normalized visible text must lie within
    /// the screen's runs (`ScreenedPathCheck.missedRun`); the same for the text read as plain text.
    static let words = ["gift", "Card", "order", "CALL", "cancel", "prize", "win", "voucher", "888", "x", "Amazon"]
    static let separators = [" ", " ", "  ", "\n", "\r\n", "\t", ".", ",", "-", "'", "\"", ":", "=", ";", "/", "?", "!", "(", ")",
                             "&nbsp;", "&amp;", "&#39;", "&#x2019;", "&rsquo;", "&hellip;", "&lt;", "&gt;", "&copy;", "&#8212;",
                             "&#160;", "&#103;", "\u{2013}", "\u{2019}", "\u{20AC}", "\u{A0}", "\u{1F381}", "&", "& ", "<3", "< b", ">"]
    static let markup = [
        "<b>", "</b>", "<i>", "</i>", "<p>", "</p>", "<br>", "<br/>", "<div class=\"a b\">", "</div>", "<td>", "</td>", "<tr>",
        "<table>", "</table>", "<li>", "<ul>", "</ul>", "<span>", "</span>", "<span style=\"display:none\">",
        "<span style='visibility: hidden'>", "<span hidden>", "<a style=\"text-decoration:none\" href=\"https://x.example/?a=1&amp;b=2\">",
        "<a href=x>", "</a>", "<img alt=\"gift card\">", "<img src=a.png alt='Call &amp; win'/>", "<area title=\"prize\">",
        "<!-- c -->", "<!--[if mso]><table><![endif]-->", "<!---->", "<script>if (a<b) f('</p>')</script>",
        "<style>p{color:red}</style>", "<title>T</title>", "<head>", "</head>", "<body>", "<html>", "<template>t</template>",
        "<!DOCTYPE html>", "<meta charset=\"utf-8\">", "<b title='a>b'>", "<B STYLE=\"DISPLAY:NONE\">", "<p\n class=x>", "<x:y>",
        "</p\n>", "<a b=\"c\"d=e f>", "<img alt=gift>", "<img alt=\"g&#105;ft\">",
    ]
    /// What makes the screen refuse, or is read differently by libxml2: rare in a document, so that most
    /// documents are accepted and the rest still meet them.
    static let risky = [
        "&#32;", "&eacute;", "&shy;", "&amp", "&#", "&#x;", "&zwnj;", "\u{E9}", "\u{200B}", "\u{FE0F}", "\u{2122}", "\u{430}",
        "<!--", "-->", "--!>", "<script>", "</script>", "<style>", "<title>", "</title>", "<", "</", "<a \"b\">", "<b =x>",
        "<_a>", "<?php ?>", "<![CDATA[x]]>", "</ p>", "\u{1}", "<script/>",
    ]

    static func pick(_ list: [String], _ random: inout SplitMix64) -> String {
        list[Int(random.next() % UInt64(list.count))]
    }

    /// A document of words (some split by markup), separators and markup, rarely something risky.
    static func document(_ random: inout SplitMix64) -> (text: String, splitWord: Bool) {
        var text = ""
        var splitWord = false
        for _ in 0..<(3 + Int(random.next() % 40)) {
            switch random.next() % 16 {
            case 0..<5:
                text += pick(words, &random)
            case 5..<7:
                let word = Array(pick(words, &random))
                let cut = 1 + Int(random.next() % UInt64(max(word.count - 1, 1)))
                text += String(word[..<min(cut, word.count)]) + pick(markup, &random) + String(word[min(cut, word.count)...])
                splitWord = true
            case 7..<11:
                text += pick(separators, &random)
            case 11..<15:
                text += pick(markup, &random)
            default:
                text += random.next() % 6 == 0 ? pick(risky, &random) : pick(words, &random)
            }
        }
        return (text, splitWord)
    }

    @Test func generatedHTMLKeepsEveryVisibleRun() {
        var random = SplitMix64(seed: 0x7363_7265_656e_0001)
        var accepted = 0
        var acceptedWithSplitWords = 0
        let total = 30_000
        for _ in 0..<total {
            let (html, splitWord) = Self.document(&random)
            guard Self.html(html) != nil else { continue }
            accepted += 1
            if splitWord { acceptedWithSplitWords += 1 }
            let missed = ScreenedPathCheck.missedRun(html: html)
            #expect(missed == nil, "missed \"\(missed ?? "")\" in \(html.debugDescription)")
            if missed != nil { return }
        }
        // Not vacuous: a good share is accepted, words split by markup among them.
        #expect(accepted > total / 5, "accepted \(accepted) of \(total)")
        #expect(acceptedWithSplitWords > total / 20, "accepted with split words \(acceptedWithSplitWords)")
    }

    @Test func generatedPlainTextKeepsEveryRun() {
        var random = SplitMix64(seed: 0x7363_7265_656e_0002)
        var accepted = 0
        for _ in 0..<20_000 {
            let text = Self.document(&random).text
            guard Self.plain(text) != nil else { continue }
            accepted += 1
            let missed = ScreenedPathCheck.missedRun(plain: text)
            #expect(missed == nil, "missed \"\(missed ?? "")\" in \(text.debugDescription)")
            if missed != nil { return }
        }
        #expect(accepted > 2_000)
    }
}
