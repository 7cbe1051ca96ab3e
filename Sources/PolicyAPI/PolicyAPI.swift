import MicroHTTP
import PolicyService

/// Placeholder until the API lands.
public enum PolicyAPIInfo {
    public static let version = "0.1.0"
}
