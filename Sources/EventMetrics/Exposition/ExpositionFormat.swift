/// The wire formats of `/metrics`.
public enum ExpositionFormat: Sendable, Hashable, CaseIterable {
    /// Prometheus text format 0.0.4.
    case prometheus
    /// OpenMetrics text format 1.0.0, ending with `# EOF`.
    case openMetrics

    /// The `Content-Type` header value of a response in this format (Prometheus 3 refuses a scrape without one).
    public var contentType: String {
        switch self {
        case .prometheus: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// Picks the format for an HTTP `Accept` header value.
    ///
    /// The acceptable media range with the highest `q` wins (the first one on a tie):
    /// `application/openmetrics-text` without a version or with `version=1.0.0` selects ``openMetrics``;
    /// anything else, no header, or a header naming nothing supported selects ``prometheus``,
    /// the format every scraper must accept.
    public init(accept: String?) {
        guard let accept else {
            self = .prometheus
            return
        }
        var best: (format: ExpositionFormat, quality: Double)?
        for range in accept.split(separator: ",") {
            guard let (format, quality) = Self.parse(range), quality > 0 else { continue }
            if quality > (best?.quality ?? -1) { best = (format, quality) }
        }
        self = best?.format ?? .prometheus
    }

    /// The format a media range asks for and its quality; `nil` for an unreadable range.
    private static func parse(_ range: Substring) -> (ExpositionFormat, Double)? {
        let parts = range.split(separator: ";").map(trimmed)
        guard let mediaType = parts.first.map(lowercased) else { return nil }
        var version: Substring?
        var quality = 1.0
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(trimmed)
            guard pair.count == 2 else { continue }
            switch lowercased(pair[0]) {
            case "version": version = pair[1]
            case "q":
                guard let value = Double(pair[1]), value >= 0, value <= 1 else { return nil }
                quality = value
            default: continue
            }
        }
        if mediaType == "application/openmetrics-text", version == nil || version == "1.0.0" {
            return (.openMetrics, quality)
        }
        return (.prometheus, quality)
    }

    private static func trimmed(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = text.firstIndex(where: { !isSpace($0) }), let end = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return text[start...end]
    }

    private static func lowercased(_ text: Substring) -> String {
        String(decoding: text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
