import ArgumentParser
import CommandSupport
import Monitor

/// The configuration file (or the defaults), and the connection flags completed with its servers.
func loadConfiguration(_ path: String?, connection: ConnectionOptions) throws -> (MonitorConfiguration, ConnectionOptions) {
    var configuration = MonitorConfiguration()
    if let path {
        do {
            configuration = try MonitorConfiguration(contentsOf: path)
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }
    var connection = connection
    if connection.servers.isEmpty { connection.servers = configuration.servers }
    return (configuration, connection)
}
