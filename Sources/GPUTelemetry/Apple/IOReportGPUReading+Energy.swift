extension IOReportGPUReading {
    /// Units per joule of an `Energy Model` channel, by unit label; an unknown label has none.
    static func unitsPerJoule(_ label: String) -> Double? {
        switch label {
        case "J": 1
        case "mJ": 1e3
        case "uJ", "µJ", "μJ": 1e6
        case "nJ": 1e9
        default: nil
        }
    }

    /// The channels' energy over `elapsedSeconds`, in watts; `nil` (with an error naming `field`) when any channel
    /// cannot be read — a partial sum would be a value too low, not a reading.
    static func watts(_ channels: [IOReportChannel], elapsedSeconds: Double, field: String, errors: inout [String]) -> Double? {
        guard elapsedSeconds.isFinite, elapsedSeconds > 0 else {
            errors.append("\(field): elapsed time \(elapsedSeconds) s is not positive")
            return nil
        }
        var joules = 0.0
        for channel in channels {
            guard case .integer(let value) = channel.value else {
                errors.append("\(field): \(channel.name) is not an energy counter")
                return nil
            }
            guard let unitsPerJoule = Self.unitsPerJoule(channel.unit) else {
                errors.append("\(field): \(channel.name) has the unknown unit '\(channel.unit)'")
                return nil
            }
            guard value >= 0 else {
                errors.append("\(field): \(channel.name) went backwards (\(value) \(channel.unit))")
                return nil
            }
            joules += Double(value) / unitsPerJoule
        }
        let watts = joules / elapsedSeconds
        guard watts.isFinite, watts <= maximumPlausibleWatts else {
            errors.append("\(field): \(watts) W is not plausible")
            return nil
        }
        return watts
    }
}
