import Testing

@testable import PolicyLanguage

@Suite struct ConfigDurationTests {
    @Test(arguments: [
        ("1s", 1.0), ("1h30m", 5400), ("500ms", 0.5), ("1.5s", 1.5), ("-1m", -60), ("+5s", 5), ("0", 0), ("0s", 0),
        (".5s", 0.5), ("1.s", 1), ("2h45m30.5s", 9930.5), ("100us", 0.0001), ("100µs", 0.0001), ("100μs", 0.0001),
        ("1500ns", 0.0000015), ("1m1m", 120), ("24h", 86400),
    ])
    func parsesGoDurations(text: String, seconds: Double) {
        let parsed = ConfigDuration.seconds(text)
        #expect(parsed != nil && abs(parsed! - seconds) < 1e-12, "\(text) -> \(String(describing: parsed))")
    }

    @Test(arguments: ["", "1", "1d", "s", ".s", "1..5s", "1h 30m", "-", "+", "1e3s", "1S", "h1", " 1s", "1s ", "3000000h"])
    func rejectsOtherText(text: String) {
        #expect(ConfigDuration.seconds(text) == nil)
    }
}
