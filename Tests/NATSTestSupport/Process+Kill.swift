import Foundation

extension Process {
    /// A crash: SIGKILL when it still runs, then waits until it is gone.
    func killAndWait() {
        guard isRunning else { return }
        kill(processIdentifier, SIGKILL)
        waitUntilExit()
    }
}
