import Foundation
import Logging

/// swift-log's stream format (`<time> <level> <label>: <k=v ...> [<source>] <message>`),
/// built into one string per line and handed to a `LogSink` instead of a locked stream.
struct LineLogHandler: LogHandler {
    let label: String
    let sink: LogSink
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, sink: LogSink = .standardError) {
        self.label = label
        self.sink = sink
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        var line = LogTime.now()
        line.reserveCapacity(192)
        line += " "
        line += event.level.rawValue
        line += " "
        line += label
        line += ":"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " "
            line += key
            line += "="
            line += value.description
        }
        line += " ["
        line += event.source
        line += "] "
        line += event.message.description
        line += "\n"
        sink.write(line, urgent: event.level >= .warning)
    }
}

/// `2026-11-27T16:56:04+0000`, UTC, without Foundation's formatters.
enum LogTime {
    static func now() -> String {
        var seconds = time(nil)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var out = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int32, _ at: Int, _ width: Int) {
            var v = Int(value)
            for i in stride(from: at + width - 1, through: at, by: -1) {
                out[i] = UInt8(48 + v % 10)
                v /= 10
            }
        }
        put(parts.tm_year + 1900, 0, 4)
        out[4] = 45
        put(parts.tm_mon + 1, 5, 2)
        out[7] = 45
        put(parts.tm_mday, 8, 2)
        out[10] = 84
        put(parts.tm_hour, 11, 2)
        out[13] = 58
        put(parts.tm_min, 14, 2)
        out[16] = 58
        put(parts.tm_sec, 17, 2)
        out.replaceSubrange(19..<24, with: Array("+0000".utf8))
        return String(decoding: out, as: UTF8.self)
    }
}
