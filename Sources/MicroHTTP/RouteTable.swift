#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The router's core, kept out of the generic `Router` so that matching runs as specialized
/// code with no generic metadata to look up per request: the patterns and, for each, its
/// registered methods; a match names a pattern and a method slot.
@usableFromInline
struct RouteTable: Sendable {
    struct Entry: Sendable {
        let pattern: PathPattern
        var methods: [String]

        /// The slot of `method`; HEAD falls back to GET when no HEAD is registered.
        func slot(for method: String) -> Int? {
            if let exact = methods.firstIndex(of: method) { return exact }
            if method == "HEAD" { return methods.firstIndex(of: "GET") }
            return nil
        }

        /// The registered methods, with HEAD after GET when only GET is registered.
        var allowed: [String] {
            var out: [String] = []
            for method in methods {
                out.append(method)
                if method == "GET" && !methods.contains("HEAD") { out.append("HEAD") }
            }
            return out
        }
    }

    @usableFromInline
    enum Outcome {
        case found(route: Int, slot: Int, parameters: PathParameters)
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    private var entries: [Entry] = []
    /// The most segments of any pattern: longer paths match nothing.
    private var maxSegments = 0

    /// The patterns again, flat and trivial for the per-request scan (no retains, no enum
    /// copies): per pattern its segment count and first spec; per segment a literal's bytes in
    /// `literals`, or a parameter (`count == -1`).
    private struct Shape {
        var segmentCount: Int
        var firstSpec: Int
    }
    private struct Spec {
        var start: Int
        var count: Int
    }
    private var shapes: [Shape] = []
    private var specs: [Spec] = []
    private var literals: [UInt8] = []

    @usableFromInline
    init() {}

    /// Registers `method` on `pattern`; a repeat moves the method to the end (its handler is replaced).
    /// Returns the pattern's index and the slot the method had before, if any.
    @usableFromInline
    mutating func add(method: String, pattern: String) -> (route: Int, removed: Int?) {
        let parsed = PathPattern(pattern)
        maxSegments = max(maxSegments, parsed.segments.count)
        guard let route = entries.firstIndex(where: { $0.pattern.segments == parsed.segments }) else {
            entries.append(Entry(pattern: parsed, methods: [method]))
            shapes.append(Shape(segmentCount: parsed.segments.count, firstSpec: specs.count))
            for segment in parsed.segments {
                switch segment {
                case .parameter:
                    specs.append(Spec(start: 0, count: -1))
                case .literal(let literal):
                    specs.append(Spec(start: literals.count, count: literal.utf8.count))
                    literals.append(contentsOf: literal.utf8)
                }
            }
            return (entries.count - 1, nil)
        }
        let removed = entries[route].methods.firstIndex(of: method)
        if let removed { entries[route].methods.remove(at: removed) }
        entries[route].methods.append(method)
        return (route, removed)
    }

    /// When several patterns match, the most specific one that has the method wins. A path
    /// that matches some pattern but under no registered method gives the methods of every
    /// matching pattern.
    @usableFromInline
    func match(method: String, path: String) -> Outcome {
        var path = path
        return path.withUTF8 { bytes in
            guard bytes.first == UInt8(ascii: "/") else { return .notFound }
            return withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: maxSegments + 1) { ranges in
                // Split after the leading "/" (empty segments kept), giving up past the longest pattern.
                var count = 0
                var start = 1
                for offset in 1...bytes.count where offset == bytes.count || bytes[offset] == UInt8(ascii: "/") {
                    guard count < ranges.count else { return .notFound }
                    ranges[count] = start..<offset
                    count += 1
                    start = offset + 1
                }
                let segments = UnsafeBufferPointer(UnsafeMutableBufferPointer(rebasing: ranges[..<count]))
                return match(method: method, path: bytes, segments: segments)
            }
        }
    }

    private func match(
        method: String, path: UnsafeBufferPointer<UInt8>, segments: UnsafeBufferPointer<Range<Int>>
    ) -> Outcome {
        var best: (route: Int, slot: Int)?
        var allowed: [String] = []
        var pathMatched = false
        for route in entries.indices where shapeMatches(route, path, segments) {
            pathMatched = true
            guard let slot = entries[route].slot(for: method) else {
                for candidate in entries[route].allowed where !allowed.contains(candidate) { allowed.append(candidate) }
                continue
            }
            if let current = best, !entries[route].pattern.isMoreSpecific(than: entries[current.route].pattern) { continue }
            best = (route, slot)
        }
        if let best {
            return .found(
                route: best.route, slot: best.slot,
                parameters: entries[best.route].pattern.parameters(path, segments: segments))
        }
        return pathMatched ? .methodNotAllowed(allowed: allowed) : .notFound
    }

    /// Whether the path whose segments (after the leading "/") are `segments` of `path` matches
    /// pattern `route`: literals byte for byte, parameters any non-empty segment.
    private func shapeMatches(_ route: Int, _ path: UnsafeBufferPointer<UInt8>, _ segments: UnsafeBufferPointer<Range<Int>>) -> Bool {
        shapes.withUnsafeBufferPointer { shapes in
            let shape = shapes[route]
            guard shape.segmentCount == segments.count else { return false }
            return specs.withUnsafeBufferPointer { specs in
                literals.withUnsafeBufferPointer { literals in
                    for index in 0..<segments.count {
                        let spec = specs[shape.firstSpec + index]
                        let range = segments[index]
                        if spec.count < 0 {
                            if range.isEmpty { return false }
                        } else if spec.count != range.count {
                            return false
                        } else if spec.count > 0,
                            memcmp(literals.baseAddress! + spec.start, path.baseAddress! + range.lowerBound, spec.count) != 0
                        {
                            return false
                        }
                    }
                    return true
                }
            }
        }
    }
}
