import Yams

/// Reads a configuration file's YAML node tree, checking every key against the keys it knows and every value
/// against its type and range; each error is one line naming the file, the line and the key.
struct YAMLReader {
    let source: String

    /// The document's root node; `nil` for an empty file.
    func root(_ yaml: String) throws(ConfigurationError) -> Node? {
        do {
            return try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ConfigurationError(Self.describe(error, source: source))
        } catch {
            throw ConfigurationError("\(source) is not valid YAML: \(error)")
        }
    }

    /// The mapping at `node`, keyed by its keys; a key not in `known` is an error (with a suggestion when one is close).
    func mapping(_ node: Node, path: String, known: [String]) throws(ConfigurationError) -> [String: Node] {
        guard let mapping = node.mapping else { throw error(at: node, "\(name(path)) must be a mapping") }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string, key.scalar != nil else { throw error(at: key, "\(self.name(path)) has a key that is not a string") }
            guard known.contains(name) else {
                let full = path.isEmpty ? name : "\(path).\(name)"
                var message = "unknown key `\(full)`"
                if let suggestion = Self.closest(to: name, in: known) { message += "; did you mean `\(suggestion)`?" }
                throw error(at: key, message)
            }
            if value.scalar?.style == .plain, value.null != nil { continue }  // `key:` with no value counts as absent
            values[name] = value
        }
        return values
    }

    /// A mapping of strings to strings (such as user → hash), with the line of each key.
    func stringMap(_ node: Node, path: String) throws(ConfigurationError) -> [(key: String, value: String, line: Int?)] {
        guard let mapping = node.mapping else { throw error(at: node, "\(name(path)) must be a mapping") }
        var pairs: [(key: String, value: String, line: Int?)] = []
        for (key, value) in mapping {
            guard let name = key.string, key.scalar != nil else { throw error(at: key, "\(self.name(path)) has a key that is not a string") }
            pairs.append((name, try string(value, path: "\(path).\(name)"), key.mark?.line))
        }
        return pairs
    }

    func string(_ node: Node, path: String) throws(ConfigurationError) -> String {
        guard let scalar = node.scalar else { throw error(at: node, "\(path) must be a string") }
        return scalar.string
    }

    func strings(_ node: Node, path: String) throws(ConfigurationError) -> [String] {
        guard let sequence = node.sequence else { throw error(at: node, "\(path) must be a list of strings") }
        var values: [String] = []
        for element in sequence {
            guard let scalar = element.scalar else { throw error(at: element, "\(path) must be a list of strings") }
            values.append(scalar.string)
        }
        return values
    }

    /// An integer in `range`.
    func integer(_ node: Node, path: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard node.scalar != nil, let value = node.int else { throw error(at: node, "\(path) must be an integer") }
        guard range.contains(value) else {
            let bound = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
            throw error(at: node, "\(path) is \(value); it must be \(bound)")
        }
        return value
    }

    func bool(_ node: Node, path: String) throws(ConfigurationError) -> Bool {
        guard node.scalar != nil, let value = node.bool else { throw error(at: node, "\(path) must be true or false") }
        return value
    }

    /// An error at `node`'s line: `<source>:<line>: <message>`.
    func error(at node: Node, _ message: String) -> ConfigurationError {
        error(line: node.mark?.line, message)
    }

    func error(line: Int?, _ message: String) -> ConfigurationError {
        ConfigurationError(line.map { "\(source):\($0): \(message)" } ?? "\(source): \(message)")
    }

    private func name(_ path: String) -> String { path.isEmpty ? "the file" : path }

    /// The known key within edit distance 2 (or a third of its length) of `key`, if any.
    static func closest(to key: String, in known: [String]) -> String? {
        let scored = known.map { ($0, editDistance(key, $0)) }.filter { $0.1 <= max(2, $0.0.count / 3) }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance over unicode scalars.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// A YAML syntax error as one line with its line number.
    static func describe(_ error: YamlError, source: String) -> String {
        func line(_ problem: String, _ mark: Mark) -> String { "\(source):\(mark.line): not valid YAML: \(problem)" }
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return line(problem, mark)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return line("duplicate key \(duplicates.joined(separator: ", "))", context.mark)
        default:
            return "\(source) is not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")"
        }
    }
}
