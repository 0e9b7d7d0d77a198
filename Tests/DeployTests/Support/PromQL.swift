import Foundation

/// What the deploy tests need to know about a PromQL expression without a Prometheus: the series selectors it reads
/// (metric name and label matchers) and so the metric names it references. A scanner, not a parser: it knows strings,
/// matchers, ranges, functions, aggregations and the label lists of `by`, `without`, `on`, `ignoring`, `group_left`
/// and `group_right`, which is all the expressions under deploy/ use.
enum PromQL {
    /// One vector selector: `name{matchers}` as written (matchers empty when there are none).
    struct Selector: Hashable, Sendable, CustomStringConvertible {
        var name: String
        var matchers: String
        var description: String { matchers.isEmpty ? name : "\(name){\(matchers)}" }
    }

    static let aggregations: Set<String> = [
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
        "limitk", "limit_ratio",
    ]
    static let labelListKeywords: Set<String> = ["by", "without", "on", "ignoring", "group_left", "group_right"]
    static let keywords: Set<String> = ["and", "or", "unless", "offset", "bool", "atan2", "inf", "nan", "Inf", "NaN"]

    /// Grafana's variables replaced by values a query can run with: intervals by `interval`, the time range by
    /// `range`, and every other variable (`$domain`, `${node}`) by `.*`, as an "All" selection would be.
    static func substitutingGrafanaVariables(_ expression: String, interval: String = "1m", range: String = "5m") -> String {
        var text = expression
        for name in ["$__rate_interval", "${__rate_interval}", "$__interval", "${__interval}"] {
            text = text.replacingOccurrences(of: name, with: interval)
        }
        for name in ["$__range", "${__range}"] { text = text.replacingOccurrences(of: name, with: range) }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "$" else {
                result.append(character)
                index = text.index(after: index)
                continue
            }
            var end = text.index(after: index)
            if end < text.endIndex && text[end] == "{" {
                end = text[end...].firstIndex(of: "}").map { text.index(after: $0) } ?? text.endIndex
            } else {
                while end < text.endIndex && (text[end].isLetter || text[end].isNumber || text[end] == "_") { end = text.index(after: end) }
            }
            result += ".*"
            index = end
        }
        return result
    }

    /// A Grafana `label_values(selector, label)` query as the selector expression and the label; `nil` for any other
    /// query or for `label_values(label)`, which names no metric.
    static func labelValues(_ query: String) -> (selector: String, label: String)? {
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("label_values("), trimmed.hasSuffix(")") else { return nil }
        let inner = trimmed.dropFirst("label_values(".count).dropLast()
        guard let comma = inner.lastIndex(of: ",") else { return nil }
        return (
            String(inner[..<comma]).trimmingCharacters(in: .whitespaces),
            String(inner[inner.index(after: comma)...]).trimmingCharacters(in: .whitespaces)
        )
    }

    /// Every vector selector of `expression`, in order of appearance.
    static func selectors(in expression: String) -> [Selector] {
        let characters = Array(expression)
        var found: [Selector] = []
        var index = 0
        func skipSpaces() { while index < characters.count && characters[index].isWhitespace { index += 1 } }
        /// Skips from an opening bracket to just after its closing one, stepping over strings.
        func skipGroup(open: Character, close: Character) -> String {
            let start = index
            var depth = 0
            while index < characters.count {
                let character = characters[index]
                if character == "\"" || character == "'" || character == "`" {
                    skipString()
                    continue
                }
                if character == open { depth += 1 }
                if character == close {
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return String(characters[(start + 1)..<(index - 1)])
                    }
                }
                index += 1
            }
            return String(characters[min(start + 1, characters.count)...])
        }
        func skipString() {
            let quote = characters[index]
            index += 1
            while index < characters.count && characters[index] != quote {
                if characters[index] == "\\" && quote != "`" { index += 1 }
                index += 1
            }
            index += 1
        }
        while index < characters.count {
            let character = characters[index]
            if character == "\"" || character == "'" || character == "`" {
                skipString()
            } else if character == "[" {
                _ = skipGroup(open: "[", close: "]")
            } else if character == "{" {
                _ = skipGroup(open: "{", close: "}")  // a selector without a metric name
            } else if character.isNumber || character == "." {
                while index < characters.count
                    && (characters[index].isLetter || characters[index].isNumber || characters[index] == "." || characters[index] == "_")
                {
                    index += 1
                }
            } else if character.isLetter || character == "_" || character == ":" {
                let start = index
                while index < characters.count
                    && (characters[index].isLetter || characters[index].isNumber || characters[index] == "_" || characters[index] == ":")
                {
                    index += 1
                }
                let word = String(characters[start..<index])
                skipSpaces()
                let next = index < characters.count ? characters[index] : " "
                if labelListKeywords.contains(word) {
                    if next == "(" { _ = skipGroup(open: "(", close: ")") }
                } else if aggregations.contains(word) || keywords.contains(word) || next == "(" {
                    continue
                } else if next == "{" {
                    found.append(Selector(name: word, matchers: skipGroup(open: "{", close: "}").trimmingCharacters(in: .whitespaces)))
                } else {
                    found.append(Selector(name: word, matchers: ""))
                }
            } else {
                index += 1
            }
        }
        return found
    }

    /// The metric names `expression` reads.
    static func metricNames(in expression: String) -> Set<String> { Set(selectors(in: expression).map(\.name)) }
}
