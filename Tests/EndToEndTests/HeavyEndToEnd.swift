import Testing

/// The end-to-end suites that load the machine (write storms, slow evaluations, 50 MB bodies,
/// timeouts) run one after another, so that none of them starves another's timing.
@Suite(.serialized) struct HeavyEndToEnd {}
