/// Whether an `Accept-Encoding` header value accepts gzip (RFC 9110 §12.5.3): `gzip` (or `x-gzip`) with a `q` above
/// 0, or, when gzip is not named, `*` with a `q` above 0. `gzip;q=0` refuses it.
func acceptsGzip(_ header: String?) -> Bool {
    guard let header else { return false }
    var gzip: Double?
    var wildcard: Double?
    for element in header.split(separator: ",") {
        let parts = element.split(separator: ";")
        guard let coding = parts.first.map({ trimmed($0).lowercased() }), !coding.isEmpty else { continue }
        var quality = 1.0
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(trimmed)
            guard pair.count == 2, pair[0].lowercased() == "q" else { continue }
            quality = Double(pair[1]).map { min(max($0, 0), 1) } ?? 0
        }
        switch coding {
        case "gzip", "x-gzip": gzip = max(gzip ?? 0, quality)
        case "*": wildcard = quality
        default: continue
        }
    }
    return (gzip ?? wildcard ?? 0) > 0
}

private func trimmed(_ text: Substring) -> Substring {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let start = text.firstIndex(where: { !isSpace($0) }), let end = text.lastIndex(where: { !isSpace($0) }) else { return "" }
    return text[start...end]
}
