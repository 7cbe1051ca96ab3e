import MicroHTTP
import PolicyLanguage

/// Reading JSON request bodies: the content type must be JSON when declared, and the
/// body must parse (strict parser, bounded nesting).
enum RequestBody {
    /// 415 unless the declared content type is JSON (`application/json`, `*/*+json`);
    /// a body without a declared type is taken as JSON.
    static func checkContentType(_ request: HTTPRequest) throws(APIError) {
        // The usual case first, without building a String, splitting or lowercasing.
        if request.header("Content-Type", is: "application/json") { return }
        guard let declared = request.header("Content-Type") else { return }
        let type = declared.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces.lowercased() } ?? ""
        guard type == "application/json" || type.hasSuffix("+json") else {
            throw .unsupportedMediaType(declared)
        }
    }

    /// The body as a JSON object's members, parsed by `parser` (which bounds its nesting), after
    /// the content-type check.
    static func object(_ request: HTTPRequest, parser: JSONParser) throws(APIError) -> JSONObjectReader {
        try checkContentType(request)
        return try parseObject(request.body, parser: parser)
    }

    /// `bytes` as a JSON object's members (the content type already checked).
    static func parseObject(_ bytes: [UInt8], parser: JSONParser) throws(APIError) -> JSONObjectReader {
        let value: JSONValue
        do throws(JSONError) {
            value = try parser.parse(bytes)
        } catch {
            throw APIError(error)
        }
        guard case .object(let members) = value else { throw .badRequest("request body must be a JSON object") }
        return JSONObjectReader(members: members, path: "")
    }
}

/// Typed access to the members of a request object, each type mismatch a clear 400.
struct JSONObjectReader {
    let members: [(key: String, value: JSONValue)]
    let path: String

    subscript(_ key: String) -> JSONValue? {
        for m in members where m.key == key { return m.value }
        return nil
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func int(_ key: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        try JSONField.int(self[key], name: name(key), in: range)
    }

    func strings(_ key: String) throws(APIError) -> [String]? {
        try JSONField.strings(self[key], name: name(key))
    }
}

/// The typed reading of one member value (absent: nil), shared by every request body reader so
/// that each type mismatch gets the same 400 wherever it is found. `null` is a type mismatch like
/// any other: a request body means what openapi.yaml says, and no schema there admits null.
enum JSONField {
    static func int(_ value: JSONValue?, name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let v = value else { return nil }
        guard case .int(let i) = v else { throw .badRequest("\(name) must be an integer") }
        guard range.contains(i) else { throw .badRequest("\(name) must be in \(range.lowerBound)...\(range.upperBound)") }
        return i
    }

    static func double(_ value: JSONValue?, name: String) throws(APIError) -> Double? {
        switch value {
        case nil: return nil
        case .int(let i)?: return Double(i)
        case .double(let d)?: return d
        default: throw .badRequest("\(name) must be a number")
        }
    }

    static func string(_ value: JSONValue?, name: String) throws(APIError) -> String? {
        switch value {
        case nil: return nil
        case .string(let s)?: return s
        default: throw .badRequest("\(name) must be a string")
        }
    }

    static func strings(_ value: JSONValue?, name: String) throws(APIError) -> [String]? {
        guard let value else { return nil }
        guard let strings = value.stringArrayValue else { throw .badRequest("\(name) must be an array of strings") }
        return strings
    }

    /// As ``strings(_:name:)``, taking the flat scanner's ready array as it is.
    static func strings(_ value: JSONFlatValue?, name: String) throws(APIError) -> [String]? {
        if case .strings(let strings)? = value { return strings }
        return try Self.strings(value?.jsonValue, name: name)
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
