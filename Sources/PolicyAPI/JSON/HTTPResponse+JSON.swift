import MicroHTTP
import PolicyLanguage

extension HTTPResponse {
    static let jsonContentType = (name: "Content-Type", value: "application/json")

    /// A JSON response from a finished writer.
    static func json(_ status: Int, _ writer: JSONWriter, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [jsonContentType] + headers, body: writer.bytes)
    }

    /// A JSON response from bytes that already are JSON.
    static func json(_ status: Int, bytes: [UInt8], headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [jsonContentType] + headers, body: bytes)
    }
}
