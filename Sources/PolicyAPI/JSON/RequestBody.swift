import MicroHTTP
import PolicyLanguage

/// Reading JSON request bodies: the content type must be JSON when declared, and the
/// body must parse (strict parser, bounded nesting).
enum RequestBody {
    /// 415 unless the declared content type is JSON (`application/json`, `*/*+json`);
    /// a body without a declared type is taken as JSON.
    static func checkContentType(_ request: HTTPRequest) throws(APIError) {
        guard let declared = request.header("Content-Type") else { return }
        if declared == "application/json" { return }  // the usual case, without splitting or lowercasing
        let type = declared.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces.lowercased() } ?? ""
        guard type == "application/json" || type.hasSuffix("+json") else {
            throw .unsupportedMediaType(declared)
        }
    }

    /// The body as a JSON object's members, parsed by `parser` (which bounds its nesting).
    static func object(_ request: HTTPRequest, parser: JSONParser) throws(APIError) -> JSONObjectReader {
        try checkContentType(request)
        let value: JSONValue
        do throws(JSONError) {
            value = try parser.parse(request.body)
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
        guard let v = self[key], v != .null else { return nil }
        guard case .int(let i) = v else { throw .badRequest("\(name(key)) must be an integer") }
        guard range.contains(i) else { throw .badRequest("\(name(key)) must be in \(range.lowerBound)...\(range.upperBound)") }
        return i
    }

    func double(_ key: String) throws(APIError) -> Double? {
        switch self[key] {
        case nil, .null?: return nil
        case .int(let i)?: return Double(i)
        case .double(let d)?: return d
        default: throw .badRequest("\(name(key)) must be a number")
        }
    }

    func string(_ key: String) throws(APIError) -> String? {
        switch self[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw .badRequest("\(name(key)) must be a string")
        }
    }

    func strings(_ key: String) throws(APIError) -> [String]? {
        switch self[key] {
        case nil, .null?: return nil
        case .array(let items)?:
            var out: [String] = []
            out.reserveCapacity(items.count)
            for item in items {
                guard case .string(let s) = item else { throw .badRequest("\(name(key)) must be an array of strings") }
                out.append(s)
            }
            return out
        default: throw .badRequest("\(name(key)) must be an array of strings")
        }
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
