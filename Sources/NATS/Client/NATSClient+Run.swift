import NATSCore
import NIOCore
import ServiceLifecycle

/// Work the client does in the background, in its work loop (``NATSClient/run()``).
enum ClientWork: Sendable {
    /// Reconnect, starting with this attempt.
    case reconnect(ConnectionStateMachine<any Channel>.AttemptAction)
    /// A job that belongs to the client's lifetime (dispatching replies, deleting an abandoned consumer, …).
    case job(@Sendable () async -> Void)
}

extension NATSClient: Service {
    /// Runs the client as a `Service`: its background work (``runUntilClosed()``) until the client is closed, and a
    /// drain on a graceful shutdown of the service group. Put it in the group before the services that use the
    /// client, so that they stop first.
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.runUntilClosed() }
            group.addTask {
                // Only a real graceful shutdown drains; outside a service group this waits until cancelled.
                do {
                    try await gracefulShutdown()
                    try? await self.drain()
                } catch {}
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Runs the client's background work until the client is closed: reconnects, the dispatch of request replies and
    /// clean-up jobs, each a child task of this call.
    ///
    /// A client whose application does not run this starts it in a task of its own at the first `connect()`.
    /// Calling it while the loop already runs waits until the client is closed.
    public func runUntilClosed() async {
        guard claimWorkLoop() else {
            for await _ in events {}
            return
        }
        await workLoop()
    }

    /// Starts the work loop in a task the client owns, unless it runs already.
    func startWorkLoopIfNeeded() {
        if claimWorkLoop() { Task { await self.workLoop() } }
    }

    /// Whether the caller is the one to run the work loop (only the first caller is).
    private func claimWorkLoop() -> Bool {
        state.withLock { state in
            defer { state.workLoopClaimed = true }
            return !state.workLoopClaimed
        }
    }

    /// Hands work to the loop. After the client closed, the work is dropped.
    func schedule(_ work: ClientWork) {
        workQueue.continuation.yield(work)
    }

    /// Runs every piece of work as a child task until the client closes (which ends the work stream), then cancels
    /// what still runs.
    private func workLoop() async {
        await withDiscardingTaskGroup { group in
            for await work in workQueue.stream {
                switch work {
                case .reconnect(let attempt):
                    group.addTask { await self.reconnect(from: attempt) }
                case .job(let job):
                    group.addTask { await job() }
                }
            }
            group.cancelAll()
        }
    }

    /// Reconnects through the connection state machine's attempts; when no server is left, the client is closed.
    private func reconnect(from first: ConnectionStateMachine<any Channel>.AttemptAction) async {
        if case .giveUp(let error)? = await followAttempts(from: first) {
            emit(.disconnected(ServerURL(host: "-"), reason: error.description))
            finishClosed()
        }
    }
}

/// The work stream of one client.
struct WorkQueue: Sendable {
    let stream: AsyncStream<ClientWork>
    let continuation: AsyncStream<ClientWork>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: ClientWork.self, bufferingPolicy: .unbounded)
    }
}
