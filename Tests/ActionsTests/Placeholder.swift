import Testing
@testable import Actions
@Test func placeholderActions() { #expect(Bool(true)) }
