import ArgumentParser
import CIMMonitorCommands

/// The executable: `CIMMonitor` (in `CIMMonitorCommands`) is the command line; this only makes it the entry point.
@main
extension CIMMonitor {}
