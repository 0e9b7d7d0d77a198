/// Runs `body` for at most `seconds`. When time is up, `body` is cancelled and `expire` runs, which must make it
/// return (closing the connection it waits on, for example), since the group waits for it before returning.
/// - Returns: whether `body` finished in time.
@discardableResult
func withDeadline(
    seconds: Double,
    _ body: @escaping @Sendable () async -> Void,
    expire: @Sendable () async -> Void
) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
        group.addTask {
            await body()
            return true
        }
        group.addTask {
            try? await Task.sleep(for: .seconds(seconds))
            return false
        }
        let finished = await group.next() ?? false
        group.cancelAll()
        if !finished { await expire() }
        return finished
    }
}
