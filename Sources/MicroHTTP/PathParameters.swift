/// The values of a route's `{name}` segments for one request.
public struct PathParameters: Sendable {
    private let values: [(name: String, value: String)]

    /// Parameters with the given values (the router's, or for testing handlers without a router).
    public init(_ values: [(name: String, value: String)] = []) {
        self.values = values
    }

    /// The value of `{name}`, or nil when the pattern has no such parameter.
    public subscript(_ name: String) -> String? {
        values.first { $0.name == name }?.value
    }
}
