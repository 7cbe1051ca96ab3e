import PolicyAPI
import Testing

@Test func apiVersionIsSet() {
    #expect(!PolicyAPIInfo.version.isEmpty)
}
