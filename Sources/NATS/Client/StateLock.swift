#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a plain `pthread_mutex_t`: the lock of the client's state.
///
/// `Synchronization.Mutex` on Linux is a priority-inheritance futex that spins about a thousand times before it
/// sleeps, and whose contended unlock goes through the kernel. The client's lock is taken per message by publishers
/// and per socket write by the event loop; under that pattern the event loop spent a quarter of its time spinning, on
/// the core the publisher and the server need. An adaptive pthread mutex spins briefly (the critical sections are a
/// few dozen nanoseconds) and then sleeps.
final class StateLock<Value>: @unchecked Sendable {
    // @unchecked: `value` is only read or written between `pthread_mutex_lock` and `pthread_mutex_unlock` of `mutex`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    // The value lives behind a pointer, not in a stored `var`: no dynamic exclusivity check per access.
    private let value: UnsafeMutablePointer<Value>

    init(_ initial: Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        #if os(Linux)
        // Adaptive: a short spin before sleeping, since every critical section here is a few dozen nanoseconds.
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        #endif
        let status = pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
        value = .allocate(capacity: 1)
        value.initialize(to: initial)
    }

    deinit {
        value.deinitialize(count: 1)
        value.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value while holding the lock.
    func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value.pointee)
    }

    /// Runs `body` with the value if the lock is free now; `nil` when another thread holds it.
    func withLockIfAvailable<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result? {
        guard pthread_mutex_trylock(mutex) == 0 else { return nil }
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value.pointee)
    }
}
