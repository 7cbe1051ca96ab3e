import MicroHTTP
import Testing

@Test func serverNameIsPolicyd() {
    #expect(MicroHTTP.serverName == "policyd")
}
