extension JetStream {
    /// Reads every page of a paged list endpoint (`STREAM.NAMES`, `CONSUMER.LIST.<s>`, …).
    func allPages<Item: Decodable>(_ endpoint: String, subject: String? = nil, as: Item.Type = Item.self) async throws -> [Item] {
        var items: [Item] = []
        while true {
            let page: Page<Item> = try await call(endpoint, body: PageRequest(offset: items.count, subject: subject))
            items += page.items
            if page.items.isEmpty || items.count >= page.total { return items }
        }
    }
}

private struct PageRequest: Encodable {
    var offset: Int
    var subject: String?
}

/// One page of a list response: `total` and the items under `streams` or `consumers`.
private struct Page<Item: Decodable>: Decodable {
    var total: Int
    var items: [Item]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        total = try container.decode(Int.self, forKey: Key(stringValue: "total"))
        let listKey = [Key(stringValue: "streams"), Key(stringValue: "consumers")].first { container.contains($0) }
        items = try listKey.flatMap { try container.decodeIfPresent([Item].self, forKey: $0) } ?? []
    }
}
