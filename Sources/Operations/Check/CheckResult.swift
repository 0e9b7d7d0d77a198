/// One line of `check`: what was checked, how it came out, the figure behind it, and what to do when it is not ok.
public struct CheckResult: Sendable, Equatable, Codable {
    public var check: String
    public var status: CheckStatus
    public var figure: String
    /// What to do (a command or a runbook section); empty when ok.
    public var action: String

    public init(_ check: String, _ status: CheckStatus, _ figure: String, action: String = "") {
        self.check = check
        self.status = status
        self.figure = figure
        self.action = status == .ok ? "" : action
    }

    /// `ok       nats          connected …` and, when not ok, ` — <action>`.
    public var line: String {
        let name = check.count < 24 ? check + String(repeating: " ", count: 24 - check.count) : check
        let status = self.status.rawValue + String(repeating: " ", count: 9 - self.status.rawValue.count)
        return status + name + " " + figure + (action.isEmpty ? "" : " — " + action)
    }
}
