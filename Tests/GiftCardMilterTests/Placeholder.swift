import Testing
@testable import GiftCardMilter
@Test func placeholderGiftCardMilter() { #expect(Bool(true)) }
