import ParleyCore

/// Stores a raw channel message with its time and thread indexes. The message id is
/// the idempotency key, as a turn's id is.
struct MessageWriter {
    let txn: StoreTransaction
    let intake: RecordIntake
    let receivedAt: Millis

    func log(_ raw: Message) throws -> Result<WriteOutcome, StoreError> {
        let message: Message
        do {
            message = try intake.accept(raw, receivedAt: receivedAt)
        } catch {
            return .failure(.invalid(error))
        }
        let org = message.organizationId
        let key = Keys.entity(org, message.messageId)
        if let stored = try txn.get(Message.self, TreeLayout.messages, key) {
            // A retry that left created_at out was stamped with the first receive time.
            var retried = message
            if raw.createdAt == nil { retried.createdAt = stored.createdAt }
            guard retried == stored else {
                return .failure(.conflict("message \(message.messageId) of organization \(org) was already logged with different content; resend the same message to retry, or give a new message a new id"))
            }
            return .success(.duplicate)
        }

        try txn.put(message, TreeLayout.messages, key)
        try MessageIndexes(txn: txn).put(message, time: message.createdAt ?? receivedAt)
        return .success(.stored)
    }
}
