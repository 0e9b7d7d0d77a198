import Foundation
import Testing

/// Every dashboard under deploy/grafana/dashboards is well formed: unique panel ids, no two panels on the same grid
/// cells, a data source variable that every panel and target uses, a unit on every panel, and the variables each
/// dashboard is templated on.
@Suite struct DashboardStructureTests {
    static let expectedDashboards = ["cim-domain.json", "cim-events.json", "cim-gpu.json", "cim-monitor.json", "cim-nats.json"]
    static let expectedVariables = [
        "cim-events.json": ["datasource", "instance", "domain"],
        "cim-domain.json": ["datasource", "instance", "domain", "aggregate_type"],
        "cim-gpu.json": ["datasource", "node", "vendor", "gpu"],
        "cim-nats.json": ["datasource", "cluster", "server", "stream"],
        "cim-monitor.json": ["datasource", "instance"],
    ]

    @Test func theFiveDashboardsAreShippedWithUniqueUIDs() throws {
        let dashboards = try DeployTree().dashboards()
        #expect(dashboards.map(\.file) == Self.expectedDashboards)
        let uids = dashboards.compactMap { $0.json["uid"] as? String }
        #expect(Set(uids).count == dashboards.count, "uids: \(uids)")
    }

    @Test(arguments: expectedDashboards)
    func dashboardIsWellFormed(file: String) throws {
        let dashboard = try #require(try DeployTree().dashboards().first { $0.file == file }?.json)
        let panels = DeployTree.panels(of: dashboard)
        #expect(panels.count >= 8, "\(file) has only \(panels.count) panels")

        let ids = panels.compactMap { $0["id"] as? Int }
        #expect(ids.count == panels.count, "\(file): a panel without an integer id")
        #expect(Set(ids).count == ids.count, "\(file): duplicate panel ids \(ids.sorted())")

        var occupied: [String: Int] = [:]
        for panel in panels {
            let id = panel["id"] as? Int ?? -1
            guard let grid = panel["gridPos"] as? [String: Int], let x = grid["x"], let y = grid["y"], let w = grid["w"], let h = grid["h"] else {
                Issue.record("\(file): panel \(id) has no complete gridPos")
                continue
            }
            #expect(w > 0 && h > 0 && x >= 0 && y >= 0 && x + w <= 24, "\(file): panel \(id) gridPos \(grid) is outside the 24-column grid")
            for column in x..<(x + w) {
                for row in y..<(y + h) {
                    if let other = occupied.updateValue(id, forKey: "\(column),\(row)") {
                        Issue.record("\(file): panels \(other) and \(id) overlap at column \(column), row \(row)")
                    }
                }
            }
        }

        let variables = DeployTree.variables(of: dashboard)
        #expect(variables.map { $0["name"] as? String ?? "" } == Self.expectedVariables[file], "\(file) variables")
        let datasource = variables.first { $0["type"] as? String == "datasource" }
        #expect(
            datasource?["name"] as? String == "datasource" && datasource?["query"] as? String == "prometheus",
            "\(file): no Prometheus data source variable"
        )
        for variable in variables where variable["type"] as? String == "query" {
            #expect(Self.usesDatasourceVariable(variable["datasource"]), "\(file): variable \(variable["name"] ?? "?") ignores $datasource")
        }

        for panel in panels where panel["type"] as? String != "row" {
            let title = panel["title"] as? String ?? "?"
            let unit = ((panel["fieldConfig"] as? [String: Any])?["defaults"] as? [String: Any])?["unit"] as? String
            #expect(unit.map { !$0.isEmpty } == true, "\(file): panel '\(title)' has no unit")
            #expect(Self.usesDatasourceVariable(panel["datasource"]), "\(file): panel '\(title)' ignores $datasource")
            let targets = panel["targets"] as? [[String: Any]] ?? []
            #expect(!targets.isEmpty, "\(file): panel '\(title)' has no query")
            for target in targets {
                #expect(Self.usesDatasourceVariable(target["datasource"]), "\(file): a target of '\(title)' ignores $datasource")
                #expect((target["expr"] as? String).map { !$0.isEmpty } == true, "\(file): a target of '\(title)' has no expression")
            }
        }
    }

    static func usesDatasourceVariable(_ value: Any?) -> Bool {
        guard let object = value as? [String: Any] else { return false }
        return object["uid"] as? String == "${datasource}" && object["type"] as? String == "prometheus"
    }
}
