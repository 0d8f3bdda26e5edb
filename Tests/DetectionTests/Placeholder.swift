import Testing
@testable import Detection
@Test func placeholderDetection() { #expect(Bool(true)) }
