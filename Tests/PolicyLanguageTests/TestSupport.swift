import PolicyLanguage

/// Parses `text` with a default parser.
func parseJSON(_ text: String, maxDepth: Int = 64) throws(JSONError) -> JSONValue {
    try JSONParser(maxDepth: maxDepth).parse(Array(text.utf8))
}

/// The parse error of `bytes`, nil when they parse.
func jsonError(_ bytes: [UInt8], maxDepth: Int = 64) -> JSONError? {
    do {
        _ = try JSONParser(maxDepth: maxDepth).parse(bytes)
        return nil
    } catch {
        return error
    }
}

func jsonError(_ text: String, maxDepth: Int = 64) -> JSONError? {
    jsonError(Array(text.utf8), maxDepth: maxDepth)
}

/// Compiles a policy document written as JSON text.
func compilePolicy(_ text: String) throws(PolicyLoadError) -> CompiledPolicy {
    try CompiledPolicy(parsing: Array(text.utf8))
}

/// Every problem of a document (empty when it compiles); a JSON error becomes one problem with field `json`.
func policyProblems(_ text: String) -> [PolicyProblem] {
    do {
        _ = try compilePolicy(text)
        return []
    } catch {
        switch error {
        case .invalidJSON(let jsonError): return [PolicyProblem(rule: nil, field: "json", message: jsonError.description)]
        case .invalidPolicy(let problems): return problems
        }
    }
}

/// The problems of a document other than expression compile errors (those carry a line),
/// so the schema checks can be tested independently of the expression compiler.
func schemaProblems(_ text: String) -> [String] {
    policyProblems(text).filter { $0.line == nil }.map(\.description)
}

/// A one-rule document around `rule` (a JSON object's text).
func documentWithRule(_ rule: String, extra: String = "") -> String {
    #"{"version": 1, \#(extra) "rules": [\#(rule)]}"#
}

/// A one-rule document whose single rule has `actions` (a JSON array's text).
func documentWithActions(_ actions: String, on event: String = "cycle") -> String {
    documentWithRule(#"{"name": "r", "on": "\#(event)", "match": "true", "actions": \#(actions)}"#)
}

/// An evaluation context with the given gate fields.
func context(port: Int = 0, peerID: Int = 0, members: Int = 0, peerTags: [String] = []) -> EvalContext {
    var context = EvalContext()
    context.port = port
    context.peerID = peerID
    context.members = members
    context.peerTags = peerTags
    return context
}
