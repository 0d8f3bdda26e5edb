import Testing
@testable import MailView
@Test func placeholderMailView() { #expect(Bool(true)) }
