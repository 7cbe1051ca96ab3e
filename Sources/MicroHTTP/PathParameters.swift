/// The values of a route's `{name}` segments for one request.
public struct PathParameters: Sendable {
    /// The first parameter, kept inline: most routes have exactly one (`{id}`), and an array
    /// for it would be a heap allocation per request.
    private let first: (name: String, value: String)?
    /// The second and later parameters, in pattern order.
    private let rest: [(name: String, value: String)]

    /// Parameters with the given values (the router's, or for testing handlers without a router).
    public init(_ values: [(name: String, value: String)] = []) {
        first = values.first
        rest = Array(values.dropFirst())
    }

    init(first: (name: String, value: String)?, rest: [(name: String, value: String)]) {
        self.first = first
        self.rest = rest
    }

    /// The value of `{name}`, or nil when the pattern has no such parameter.
    public subscript(_ name: String) -> String? {
        if let first, first.name == name { return first.value }
        return rest.first { $0.name == name }?.value
    }
}
