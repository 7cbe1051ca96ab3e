/// A member value of a flat JSON object (see ``JSONParser/scanFlatObject(_:_:)``).
public enum JSONFlatValue: Sendable, Equatable {
    /// Any other value: from the flat scanner always null, a boolean, a number or a string.
    case value(JSONValue)
    /// An array whose elements are all strings (possibly none).
    case strings([String])

    /// The same value as the general parser gives it.
    public var jsonValue: JSONValue {
        switch self {
        case .value(let value): value
        case .strings(let strings): .array(strings.map { .string($0) })
        }
    }
}
