/// The checker's view of a type, modelled on expr's `Nature` for the policy subset.
indirect enum SType: Equatable, Sendable {
    /// A nature with no type at all (e.g. the element of `[]`); prints "unknown".
    case unknown
    /// `interface {}`: statically unknown.
    case any
    /// The `nil` literal.
    case nilType
    case bool, int, float, string
    /// `[]string` (tag variables, `split`).
    case stringSlice
    /// expr's `arrayOf(elem)`: a `[]interface {}` whose elements are known to be `elem`.
    /// `exactElems` says whether the elements are guaranteed to have that representation.
    case array(SType, exactElems: Bool)
    /// `[]interface {}` with no element information.
    case anyArray

    var isUnknown: Bool { self == .unknown || self == .any }
    var isNil: Bool { self == .nilType }
    var isBool: Bool { self == .bool }
    var isInteger: Bool { self == .int }
    var isFloat: Bool { self == .float }
    var isNumber: Bool { self == .int || self == .float }
    var isString: Bool { self == .string }
    var isArray: Bool {
        switch self {
        case .stringSlice, .array, .anyArray: return true
        default: return false
        }
    }

    var elem: SType {
        switch self {
        case .stringSlice: return .string
        case .array(let e, _): return e
        case .anyArray: return .any
        default: return .unknown
        }
    }

    var elemExact: Bool {
        switch self {
        case .stringSlice: return true
        case .array(_, let ex): return ex
        default: return false
        }
    }

    /// Nature's `String()`, used in checker messages.
    var name: String {
        switch self {
        case .unknown, .nilType: return "unknown"
        case .any: return "interface {}"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float64"
        case .string: return "string"
        case .stringSlice: return "[]string"
        case .array, .anyArray: return "[]interface {}"
        }
    }

    /// The `reflect.Type` a builtin's Validate sees (unknown natures become `interface {}`).
    var reflectName: String {
        switch self {
        case .unknown, .any: return "interface {}"
        case .nilType: return "<nil>"
        default: return name
        }
    }

    enum Kind { case invalid, interface, bool, int, float, string, slice }

    /// `reflect.Kind` of the nature's type.
    var kind: Kind {
        switch self {
        case .unknown, .nilType: return .invalid
        case .any: return .interface
        case .bool: return .bool
        case .int: return .int
        case .float: return .float
        case .string: return .string
        case .stringSlice, .array, .anyArray: return .slice
        }
    }

    /// The kind Validate-style builtins see: unknown natures are passed as `interface {}`.
    var validateKind: Kind { self == .unknown ? .interface : kind }

    private var goType: Int {
        switch self {
        case .unknown, .nilType: return -1
        case .any: return 0
        case .bool: return 1
        case .int: return 2
        case .float: return 3
        case .string: return 4
        case .stringSlice: return 5
        case .array, .anyArray: return 6
        }
    }

    /// `reflect.Type.AssignableTo`, with nil assignable to interfaces.
    func assignable(to other: SType) -> Bool {
        if self == .nilType { return other == .any }
        if goType < 0 || other.goType < 0 { return false }
        if other == .any { return true }
        return goType == other.goType
    }

    /// expr's `isComparable`.
    static func comparable(_ l: SType, _ r: SType) -> Bool {
        if l.isUnknown || r.isUnknown { return true }
        if l.isNil || r.isNil { return true }
        if l.isNumber && r.isNumber { return true }
        if l.isArray && r.isArray { return true }
        return l.assignable(to: r)
    }
}
