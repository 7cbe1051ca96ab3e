import PolicyAPI
import Testing

@Test func versionIsSemantic() {
    #expect(PolicyAPIInfo.version.split(separator: ".").count == 3)
}
