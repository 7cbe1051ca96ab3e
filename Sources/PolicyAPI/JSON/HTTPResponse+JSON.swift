import MicroHTTP
import PolicyLanguage
import PolicyService

extension HTTPResponse {
    static let jsonContentType = (name: "Content-Type", value: "application/json")
    /// Shared by every JSON response without other headers: no array is built per response.
    static let jsonHeaders = [jsonContentType]

    /// A JSON response from a finished writer.
    static func json(_ status: Int, _ writer: JSONWriter, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        json(status, bytes: writer.bytes, headers: headers)
    }

    /// A JSON response from bytes that already are JSON.
    static func json(_ status: Int, bytes: [UInt8], headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers.isEmpty ? jsonHeaders : jsonHeaders + headers, body: bytes)
    }
}
