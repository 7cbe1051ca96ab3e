import PolicyLanguage

/// Placeholder until the service lands.
public enum PolicyServiceInfo {
    public static let events = EventKind.allCases
}
