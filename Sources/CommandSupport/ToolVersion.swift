/// The version `--version` prints, for every executable of the package.
public enum ToolVersion {
    public static let current = "0.1.0"
}
