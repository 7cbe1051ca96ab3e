/// A compiled RE2-syntax regular expression (the subset Go's regexp accepts that
/// policies use), matched with a Pike VM: linear time, no backtracking blow-up.
struct RE2Regex: Sendable {
    fileprivate enum Inst: Sendable {
        case char(Unicode.Scalar, fold: Bool)
        case any(dotNL: Bool)
        case cls(CharClass, fold: Bool)
        case split(Int, Int)
        case jmp(Int)
        case assert(Assertion)
        case match
    }

    enum Assertion: Sendable {
        case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary
    }

    private let program: [Inst]
    /// Patterns that are plain text with optional `^`/`$` skip the VM.
    private let literal: (text: String, anchoredStart: Bool, anchoredEnd: Bool)?

    struct ParseError: Error {
        var message: String
    }

    /// Compiles `pattern`; the error message matches Go's `regexp.Compile` wording.
    init(_ pattern: String) throws(ParseError) {
        var p = RegexParser(pattern: pattern)
        let ast = try p.parse()
        var c = RegexCompiler()
        c.emit(ast)
        if c.tooLarge { throw ParseError(message: "error parsing regexp: expression too large") }
        c.program.append(.match)
        program = c.program
        literal = RE2Regex.plainLiteral(ast)
    }

    private static func plainLiteral(_ ast: RegexNode) -> (text: String, anchoredStart: Bool, anchoredEnd: Bool)? {
        var items: [RegexNode]
        switch ast {
        case .concat(let c): items = c
        case .literal, .assert: items = [ast]
        default: return nil
        }
        var start = false
        var end = false
        if case .assert(.beginText) = items.first {
            start = true
            items.removeFirst()
        }
        if case .assert(.endText) = items.last {
            end = true
            items.removeLast()
        }
        var text = String.UnicodeScalarView()
        for item in items {
            guard case .literal(let c, let fold) = item, !fold else { return nil }
            text.append(c)
        }
        return (String(text), start, end)
    }

    static func compile(_ pattern: String) -> Result<RE2Regex, ParseError> {
        do throws(ParseError) {
            return .success(try RE2Regex(pattern))
        } catch {
            return .failure(error)
        }
    }

    /// Whether the pattern matches anywhere in `s` (Go's `MatchString`). Long inputs
    /// check the evaluation's time budget as they go.
    func matches(_ s: String, _ env: inout Env, _ loc: Loc) throws(EvaluationError) -> Bool {
        if let lit = literal {
            switch (lit.anchoredStart, lit.anchoredEnd) {
            case (true, true): return goStringEqual(s, lit.text)
            case (true, false): return goHasPrefix(s, lit.text)
            case (false, true): return goHasSuffix(s, lit.text)
            case (false, false): return goContains(s, lit.text)
            }
        }
        let n = program.count
        // Thread lists and the closure stack live in one stack-allocated buffer.
        let outcome: Bool? = withUnsafeTemporaryAllocation(of: Int.self, capacity: 6 * n + 2) { buf in
            buf.initialize(repeating: 0)
            let base = buf.baseAddress!
            var clist = SparseSet(dense: base, sparse: base + n)
            var nlist = SparseSet(dense: base + 2 * n, sparse: base + 3 * n)
            let stack = base + 4 * n
            let view = s.unicodeScalars
            var idx = view.startIndex
            var prev: Unicode.Scalar?
            var steps = 0
            while true {
                let cur: Unicode.Scalar? = idx < view.endIndex ? view[idx] : nil
                // Unanchored search: a new thread may start at every position.
                addThread(&clist, 0, prev, cur, stack)
                if clist.contains(matchPC) { return true }
                guard let r = cur else { return false }
                let nextIdx = view.index(after: idx)
                let after: Unicode.Scalar? = nextIdx < view.endIndex ? view[nextIdx] : nil
                nlist.clear()
                for i in 0..<clist.count {
                    let pc = clist.dense[i]
                    switch program[pc] {
                    case .char(let c, let fold):
                        if c == r || (fold && foldEqual(c, r)) { addThread(&nlist, pc + 1, r, after, stack) }
                    case .any(let dotNL):
                        if dotNL || r != "\n" { addThread(&nlist, pc + 1, r, after, stack) }
                    case .cls(let cls, let fold):
                        if cls.contains(r, fold: fold) { addThread(&nlist, pc + 1, r, after, stack) }
                    case .match:
                        return true
                    default:
                        break
                    }
                }
                swap(&clist, &nlist)
                prev = r
                idx = nextIdx
                steps += 1
                if steps & 1023 == 0 && env.clockExpired() { return nil }
            }
        }
        guard let result = outcome else { throw loc.error("evaluation exceeded the time budget of 100ms") }
        return result
    }

    private var matchPC: Int { program.count - 1 }

    /// Adds `pc0` and everything reachable from it without consuming input, at the
    /// position between `prev` and `next`.
    private func addThread(
        _ list: inout SparseSet, _ pc0: Int, _ prev: Unicode.Scalar?, _ next: Unicode.Scalar?,
        _ stack: UnsafeMutablePointer<Int>
    ) {
        var top = 0
        stack[top] = pc0
        top += 1
        while top > 0 {
            top -= 1
            let pc = stack[top]
            if list.contains(pc) { continue }
            list.insert(pc)
            switch program[pc] {
            case .jmp(let t):
                stack[top] = t
                top += 1
            case .split(let a, let b):
                stack[top] = b
                stack[top + 1] = a
                top += 2
            case .assert(let a):
                if assertionHolds(a, prev, next) {
                    stack[top] = pc + 1
                    top += 1
                }
            default:
                break
            }
        }
    }

    private func assertionHolds(_ a: Assertion, _ prev: Unicode.Scalar?, _ next: Unicode.Scalar?) -> Bool {
        switch a {
        case .beginText: return prev == nil
        case .endText: return next == nil
        case .beginLine: return prev == nil || prev == "\n"
        case .endLine: return next == nil || next == "\n"
        case .wordBoundary, .notWordBoundary:
            let before = prev.map(isWordChar) ?? false
            let after = next.map(isWordChar) ?? false
            return (before != after) == (a == .wordBoundary)
        }
    }
}

private struct SparseSet {
    let dense: UnsafeMutablePointer<Int>
    let sparse: UnsafeMutablePointer<Int>
    var count = 0

    init(dense: UnsafeMutablePointer<Int>, sparse: UnsafeMutablePointer<Int>) {
        self.dense = dense
        self.sparse = sparse
    }

    func contains(_ v: Int) -> Bool {
        let i = sparse[v]
        return i >= 0 && i < count && dense[i] == v
    }

    mutating func insert(_ v: Int) {
        sparse[v] = count
        dense[count] = v
        count += 1
    }

    mutating func clear() { count = 0 }
}

/// A character class: scalar ranges, Unicode general categories and nested classes
/// (e.g. `\\D` inside `[...]`), possibly negated.

private struct RegexCompiler {
    var program: [RE2Regex.Inst] = []
    /// Counted repetitions expand the program; past this size compilation stops.
    static let maxInstructions = 50_000
    var tooLarge = false

    mutating func emit(_ node: RegexNode) {
        if program.count > RegexCompiler.maxInstructions {
            tooLarge = true
            return
        }
        switch node {
        case .empty:
            break
        case .literal(let c, let fold):
            program.append(.char(c, fold: fold))
        case .any(let dotNL):
            program.append(.any(dotNL: dotNL))
        case .cls(let k, let fold):
            program.append(.cls(k, fold: fold))
        case .assert(let a):
            program.append(.assert(a))
        case .group(let n):
            emit(n)
        case .concat(let items):
            for item in items { emit(item) }
        case .alternate(let alts):
            var jumps: [Int] = []
            for (idx, alt) in alts.enumerated() {
                if idx < alts.count - 1 {
                    let split = program.count
                    program.append(.split(0, 0))
                    emit(alt)
                    jumps.append(program.count)
                    program.append(.jmp(0))
                    program[split] = .split(split + 1, program.count)
                } else {
                    emit(alt)
                }
            }
            for j in jumps { program[j] = .jmp(program.count) }
        case .repeatNode(let n, let minCount, let maxCount):
            for _ in 0..<minCount { emit(n) }
            if maxCount < 0 {
                let split = program.count
                program.append(.split(0, 0))
                emit(n)
                program.append(.jmp(split))
                program[split] = .split(split + 1, program.count)
            } else if maxCount > minCount {
                var splits: [Int] = []
                for _ in minCount..<maxCount {
                    splits.append(program.count)
                    program.append(.split(0, 0))
                    emit(n)
                }
                for s in splits { program[s] = .split(s + 1, program.count) }
            }
        }
    }
}
