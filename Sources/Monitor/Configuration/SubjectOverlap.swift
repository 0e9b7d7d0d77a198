/// Whether two subject filters (with `*` and `>` wildcards) can match a common subject.
public func subjectsOverlap(_ a: String, _ b: String) -> Bool {
    let left = a.split(separator: ".", omittingEmptySubsequences: false)
    let right = b.split(separator: ".", omittingEmptySubsequences: false)
    var index = 0
    while index < left.count && index < right.count {
        let x = left[index]
        let y = right[index]
        if x == ">" || y == ">" { return true }
        if x != "*" && y != "*" && x != y { return false }
        index += 1
    }
    return left.count == right.count
}
