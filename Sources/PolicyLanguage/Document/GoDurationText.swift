/// Go duration text (`5s`, `500ms`, `1m30s`) outside policy documents: the API's query parameters.
public enum GoDurationText {
    /// Seconds, or nil when `text` is not a Go duration.
    public static func seconds(_ text: String) -> Double? {
        ConfigDuration.seconds(text)
    }
}
