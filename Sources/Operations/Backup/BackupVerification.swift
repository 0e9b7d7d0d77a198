import Crypto
import Foundation

/// Checks a backup directory against its manifests before anything is sent to a server: every stream directory
/// has a manifest of the known format, and every file it names exists with that size and SHA-256.
public enum BackupVerification {
    /// One verified stream backup.
    public struct Stream: Sendable {
        public var directory: URL
        public var manifest: BackupManifest
    }

    /// The stream backups under `path`: `path` itself when it holds a stream's files, else each of its
    /// subdirectories (in name order); throws the first problem found.
    public static func verify(_ path: String) throws -> [Stream] {
        let root = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BackupError("backup directory \(path) not found")
        }
        let streamFiles = [BackupFiles.manifest, BackupFiles.stream, BackupFiles.archiveData, BackupFiles.tarData]
        if streamFiles.contains(where: { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path) }) {
            return [try verifyStream(root)]
        }
        let children = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        let directories = children.sorted().map { root.appendingPathComponent($0) }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        guard !directories.isEmpty else {
            throw BackupError("\(path) holds no backup (no \(BackupFiles.manifest)): give the directory `cim-monitor backup --to` wrote")
        }
        return try directories.map(verifyStream)
    }

    /// One stream's directory.
    public static func verifyStream(_ directory: URL) throws -> Stream {
        let manifestURL = directory.appendingPathComponent(BackupFiles.manifest)
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
            throw BackupError("incomplete backup in \(directory.path): no \(BackupFiles.manifest) (the backup did not finish); take a new backup")
        }
        let manifest: BackupManifest
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            manifest = try decoder.decode(BackupManifest.self, from: data)
        } catch {
            throw BackupError("damaged backup in \(directory.path): \(BackupFiles.manifest) is not a manifest; take a new backup")
        }
        guard manifest.format == BackupManifest.currentFormat else {
            throw BackupError(
                "backup in \(directory.path) has format \(manifest.format.debugDescription), this tool reads \(BackupManifest.currentFormat)"
            )
        }
        if !manifest.files.contains(where: { $0.name == BackupFiles.stream }) {
            throw BackupError("damaged backup in \(directory.path): the manifest lists no \(BackupFiles.stream); take a new backup")
        }
        if BackupFiles.data(in: manifest.files) == nil {
            throw BackupError(
                "damaged backup in \(directory.path): the manifest lists no \(BackupFiles.archiveData) or \(BackupFiles.tarData); take a new backup"
            )
        }
        for file in manifest.files {
            guard !file.name.contains("/"), file.name != "..", file.name != "." else {
                throw BackupError("damaged backup in \(directory.path): the manifest names \(file.name.debugDescription), not a file of the backup")
            }
            let url = directory.appendingPathComponent(file.name)
            let (size, digest) = try sha256(of: url, in: directory)
            guard size == file.size else {
                throw BackupError(
                    "damaged backup in \(directory.path): \(file.name) has \(size) bytes, the manifest says \(file.size) (truncated?); take a new backup"
                )
            }
            guard digest == file.sha256 else {
                throw BackupError(
                    "damaged backup in \(directory.path): the SHA-256 of \(file.name) does not match the manifest; take a new backup"
                )
            }
        }
        return Stream(directory: directory, manifest: manifest)
    }

    /// Size and hex SHA-256 of a file, read in 1 MiB pieces.
    public static func sha256(of url: URL, in directory: URL) throws -> (Int64, String) {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw BackupError("incomplete backup in \(directory.path): \(url.lastPathComponent) is missing; take a new backup")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
            hasher.update(data: piece)
            size += Int64(piece.count)
        }
        return (size, hex(hasher.finalize()))
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
