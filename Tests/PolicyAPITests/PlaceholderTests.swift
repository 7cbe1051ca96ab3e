import PolicyAPI
import Testing

@Test func versionIsSemantic() {
    #expect(PolicyAPI.version.split(separator: ".").count == 3)
}
