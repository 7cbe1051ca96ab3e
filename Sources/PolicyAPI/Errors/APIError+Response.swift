import MicroHTTP
import PolicyLanguage

extension APIError {
    /// `{"error":{"code","message","details"?}}` with the error's status and headers.
    var response: HTTPResponse {
        var w = JSONWriter()
        w.beginObject()
        w.key("error")
        w.beginObject()
        w.key("code"); w.string(code)
        w.key("message"); w.string(message)
        if !details.isEmpty {
            w.key("details")
            w.beginArray()
            for p in details {
                w.beginObject()
                w.key("rule")
                if let rule = p.rule { w.string(rule) } else { w.null() }
                w.key("field"); w.string(p.field)
                w.key("message"); w.string(p.message)
                if let line = p.line, let column = p.column {
                    w.key("line"); w.int(line)
                    w.key("column"); w.int(column)
                }
                w.endObject()
            }
            w.endArray()
        }
        w.endObject()
        w.endObject()
        return .json(status, w, headers: headers)
    }
}
