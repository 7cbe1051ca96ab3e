/// A document whose fields passed validation steps 1-5, before its expressions are compiled.
struct DocumentDraft {
    var version = 1
    var defaultVerdict = Verdict.allow
    var failClosed = true
    var config = PolicyConfig()
    var rules: [RuleDraft] = []
}

/// One rule as far as it could be read; nil fields had problems.
struct RuleDraft {
    /// How problems name the rule: its name, or `#index` when it has none.
    var label: String
    var name: String?
    var on: EventKind?
    var match: String?
    var actions: [ActionDraft] = []
}

/// One action whose params were read; an `evict_where` match still needs compiling.
struct ActionDraft {
    enum Params {
        case ready(ActionParams)
        case evictWhere(source: String)
    }

    var index: Int
    var type: ActionType
    var params: Params
}
