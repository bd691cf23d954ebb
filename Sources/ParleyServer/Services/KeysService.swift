import Logging
import ParleyWire

/// CreateKey, ListKeys, RevokeKey. A global admin manages every key; an organization's
/// admin only the keys of its organization, and it can never make a global key. Answers
/// about keys of other organizations are the same as about keys that do not exist, so
/// key ids of one organization are never confirmed to another.
struct KeysService {
    let keys: KeyStore
    /// Creations and revocations are logged by key id (never a secret or digest) as the audit trail.
    let logger: Logger

    func register(in registry: inout ServiceRegistry) {
        let keys = keys
        let logger = logger
        registry.register(ParleyRPC.createKey) { request, call in
            let role = try Self.role(request.role)
            let org = request.organizationID ?? (call.principal.isGlobalAdmin ? "" : call.principal.organizationID)
            if org.isEmpty {
                guard role == .admin else {
                    throw RPCError.invalidArgument([FieldViolation(field: "organization_id", reason: "is required: only admin keys may be global")])
                }
                guard call.principal.isGlobalAdmin else {
                    throw RPCError(.permissionDenied, "only a global admin key may create a global key")
                }
            } else {
                try call.authorize(organization: org)
            }
            let label = request.label ?? ""
            guard label.utf8.count <= 200 else {
                throw RPCError.invalidArgument([FieldViolation(field: "label", reason: "is \(label.utf8.count) bytes; at most 200")])
            }
            let made = try Self.stored { try keys.create(role: role, organizationID: org, label: label) }
            logger.notice("created an API key", metadata: [
                "key": "\(made.key.keyID)", "role": "\(role.rawValue)", "organization": "\(org.isEmpty ? "(global)" : org)",
                "by": "\(call.principal.keyID)"])
            return V1.CreateKeyResponse(info: made.key.wire, secret: made.secret)
        }
        registry.register(ParleyRPC.listKeys) { request, call in
            let org = request.organizationID ?? ""
            if org.isEmpty {
                let visible = call.principal.isGlobalAdmin ? keys.list() : keys.list(organizationID: call.principal.organizationID)
                return V1.KeyList(keys: visible.map(\.wire))
            }
            try call.authorize(organization: org)
            return V1.KeyList(keys: keys.list(organizationID: org).map(\.wire))
        }
        registry.register(ParleyRPC.revokeKey) { request, call in
            let id = request.keyID ?? ""
            guard !id.isEmpty else {
                throw RPCError.invalidArgument([FieldViolation(field: "key_id", reason: "is required: the id ListKeys shows")])
            }
            guard let key = keys.key(id: id), call.principal.mayActFor(organization: key.organizationID) else {
                throw call.principal.isGlobalAdmin
                    ? RPCError(.notFound, "no key has the id \"\(id)\"")
                    : RPCError(.permissionDenied, "no key of this key's organization has that id")
            }
            _ = try Self.stored { try keys.revoke(keyID: key.keyID) }
            logger.notice("revoked an API key", metadata: ["key": "\(key.keyID)", "by": "\(call.principal.keyID)"])
            return V1.Empty()
        }
    }

    private static func role(_ wire: V1.KeyRole?) throws -> Principal.Role {
        switch wire {
        case .ingest: return .ingest
        case .read: return .read
        case .admin: return .admin
        case .keyRoleUnspecified, nil:
            throw RPCError.invalidArgument([FieldViolation(field: "role", reason: "is required: INGEST, READ or ADMIN")])
        }
    }

    /// A key file that cannot be written is the server's trouble, not the caller's.
    private static func stored<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw RPCError(.unavailable, "the key file could not be written; nothing was changed: retry, or ask the operator to check the data directory")
        }
    }
}

extension Principal.Role {
    var wire: V1.KeyRole {
        switch self {
        case .ingest: return .ingest
        case .read: return .read
        case .admin: return .admin
        }
    }
}

extension ApiKey {
    /// What ListKeys shows: never the digest.
    var wire: V1.ApiKeyInfo {
        V1.ApiKeyInfo(keyID: keyID, role: role.wire, organizationID: organizationID.nonEmpty,
                      label: label.nonEmpty, createdAtMs: createdAtMs, revokedAtMs: revokedAtMs)
    }
}
