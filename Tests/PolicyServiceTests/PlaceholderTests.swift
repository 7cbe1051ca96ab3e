import PolicyService
import Testing

@Test func serviceKnowsEveryEvent() {
    #expect(PolicyServiceInfo.events.count == 6)
}
