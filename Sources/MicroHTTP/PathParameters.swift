/// The values of a route's `{name}` segments for one request.
public struct PathParameters: Sendable {
    private let values: [(name: String, value: Substring)]

    init(captured: [(name: String, value: Substring)]) {
        values = captured
    }

    /// Parameters with the given values, for testing handlers without a router.
    public init(_ values: [(name: String, value: String)] = []) {
        self.values = values.map { ($0.name, Substring($0.value)) }
    }

    /// The value of `{name}`, or nil when the pattern has no such parameter.
    public subscript(_ name: String) -> String? {
        values.first { $0.name == name }.map { String($0.value) }
    }
}
