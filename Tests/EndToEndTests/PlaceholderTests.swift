import PolicyAPI
import Testing

@Test func apiVersionIsSet() {
    #expect(!PolicyAPI.version.isEmpty)
}
