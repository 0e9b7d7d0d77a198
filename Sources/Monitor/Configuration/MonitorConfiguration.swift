import CIMEvents
import EventMetrics
import Foundation
import Yams

/// The monitor's YAML configuration file.
///
/// ```yaml
/// nats:
///   servers: ["nats://127.0.0.1:4222"]
/// streams: [CIM_EVENTS]          # default: every stream whose subjects overlap `subjects`
/// subjects: ["cim.>"]
/// mapping:
///   max_payload_bytes: 1048576
///   rules:
///     - subject: "orders.{domain}.{event_type}"
///       aggregate_type: order
/// cardinality:
///   domain: 200
///   event_type: 2000
/// http:
///   listen: "0.0.0.0:9091"
///   tls: {cert_file: server.pem, key_file: server-key.pem}
///   basic_auth_users: {prometheus: "$2b$12$…"}   # bcrypt hashes
/// ```
public struct MonitorConfiguration: Sendable, Equatable {
    public var servers: [String] = []
    public var streams: [String] = []
    public var subjects: [String] = ["cim.>"]
    public var rules: [SubjectRule] = []
    public var maxPayloadBytes = 1 << 20
    public var limits = CardinalityLimits()
    public var listen: String?
    public var tlsCertificateFile: String?
    public var tlsKeyFile: String?
    /// User name → bcrypt hash.
    public var basicAuthUsers: [String: String] = [:]

    public init() {}

    /// Reads a configuration file; the error names the file and what is wrong in it.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("cannot read the config file \(path)")
        }
        try self.init(yaml: String(decoding: data, as: UTF8.self), source: path)
    }

    public init(yaml: String, source: String = "config") throws {
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: yaml)
        } catch {
            throw ConfigurationError("\(source) is not a valid monitor configuration: \(Self.describe(error))")
        }
        self.init()
        servers = file.nats?.servers ?? []
        streams = file.streams ?? []
        subjects = file.subjects ?? subjects
        maxPayloadBytes = file.mapping?.maxPayloadBytes ?? maxPayloadBytes
        for (index, rule) in (file.mapping?.rules ?? []).enumerated() {
            do {
                rules.append(
                    try SubjectRule(subject: rule.subject, domain: rule.domain, aggregateType: rule.aggregateType, eventType: rule.eventType)
                )
            } catch {
                throw ConfigurationError("\(source): mapping rule \(index + 1): \(error)")
            }
        }
        listen = file.http?.listen
        tlsCertificateFile = file.http?.tls?.certFile
        tlsKeyFile = file.http?.tls?.keyFile
        basicAuthUsers = file.http?.basicAuthUsers ?? [:]
        if (tlsCertificateFile == nil) != (tlsKeyFile == nil) {
            throw ConfigurationError("\(source): http.tls needs both cert_file and key_file")
        }
        if let cardinality = file.cardinality {
            limits.domain = cardinality.domain ?? limits.domain
            limits.aggregateType = cardinality.aggregateType ?? limits.aggregateType
            limits.eventType = cardinality.eventType ?? limits.eventType
            limits.errorType = cardinality.errorType ?? limits.errorType
            limits.seriesPerFamily = cardinality.seriesPerFamily ?? limits.seriesPerFamily
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? DecodingError {
            switch error {
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
                let path = context.codingPath.map(\.stringValue).joined(separator: ".")
                return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
            @unknown default:
                return "\(error)"
            }
        }
        return "\(error)"
    }

    private struct File: Decodable {
        struct NATS: Decodable { var servers: [String]? }
        struct Rule: Decodable {
            var subject: String
            var domain: String?
            var aggregateType: String?
            var eventType: String?
            enum CodingKeys: String, CodingKey {
                case subject, domain
                case aggregateType = "aggregate_type"
                case eventType = "event_type"
            }
        }
        struct Mapping: Decodable {
            var maxPayloadBytes: Int?
            var rules: [Rule]?
            enum CodingKeys: String, CodingKey {
                case maxPayloadBytes = "max_payload_bytes"
                case rules
            }
        }
        struct Cardinality: Decodable {
            var domain: Int?
            var aggregateType: Int?
            var eventType: Int?
            var errorType: Int?
            var seriesPerFamily: Int?
            enum CodingKeys: String, CodingKey {
                case domain
                case aggregateType = "aggregate_type"
                case eventType = "event_type"
                case errorType = "error_type"
                case seriesPerFamily = "series_per_family"
            }
        }
        struct HTTP: Decodable {
            struct TLS: Decodable {
                var certFile: String?
                var keyFile: String?
                enum CodingKeys: String, CodingKey {
                    case certFile = "cert_file"
                    case keyFile = "key_file"
                }
            }
            var listen: String?
            var tls: TLS?
            var basicAuthUsers: [String: String]?
            enum CodingKeys: String, CodingKey {
                case listen, tls
                case basicAuthUsers = "basic_auth_users"
            }
        }
        var nats: NATS?
        var http: HTTP?
        var streams: [String]?
        var subjects: [String]?
        var mapping: Mapping?
        var cardinality: Cardinality?
    }
}

/// A configuration file could not be used.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
