import PolicyLanguage
import Testing

@Test func gateEventsAreConnectDialDatagram() {
    #expect(EventKind.allCases.filter(\.isGate) == [.connect, .dial, .datagram])
}
