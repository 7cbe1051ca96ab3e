public import PolicyLanguage

/// Every way a service call can fail; PolicyAPI maps these to HTTP in one place.
public enum ServiceError: Error, Sendable, Equatable {
    /// The body is not JSON.
    case invalidJSON(JSONError)
    /// The document is JSON but not a valid policy (every problem found).
    case invalidPolicy([PolicyProblem])
    /// Nothing stored or running for that network.
    case notFound(String)
    /// If-Match / If-None-Match did not hold.
    case preconditionFailed(String)
    /// A shared peer table kept changing under a membership update or cycle (or this replica
    /// lost the cycles it was running); nothing was committed.
    case conflict(String)
    /// The data directory could not be written or read; nothing changed.
    case storage(StoreError)

    init(_ error: PolicyLoadError) {
        switch error {
        case .invalidJSON(let e): self = .invalidJSON(e)
        case .invalidPolicy(let problems): self = .invalidPolicy(problems)
        }
    }
}
