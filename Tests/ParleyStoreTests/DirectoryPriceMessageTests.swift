import ParleyCore
import ParleyStore
import XCTest

final class DirectoryPriceMessageTests: StoreTestCase {
    func testDirectoryUpsertReplacesAndValidates() async throws {
        let store = try openStore()
        defer { store.close() }
        _ = try await store.upsertDevice(Device(organizationId: "org1", deviceId: "d1", name: "Front desk", phoneNumber: "+100"))
        _ = try await store.upsertDevice(Device(organizationId: "org1", deviceId: "d1", name: "Reception"))
        XCTAssertEqual(try store.device(organization: "org1", id: "d1")?.name, "Reception")
        _ = try await store.upsertContact(Contact(organizationId: "org1", contactId: "c1", name: "Bo"))
        _ = try await store.upsertWidget(Widget(organizationId: "org1", widgetId: "w1", userId: "u1", name: "Site"))
        XCTAssertEqual(try store.contact(organization: "org1", id: "c1")?.name, "Bo")
        XCTAssertEqual(try store.widget(organization: "org1", id: "w1")?.userId, "u1")
        XCTAssertNil(try store.persona(organization: "org1", id: "p1"))
        XCTAssertNil(try store.device(organization: "org2", id: "d1"))
        do {
            _ = try await store.upsertPersona(Persona(organizationId: "", personaId: "bad id"))
            XCTFail("expected invalid")
        } catch StoreError.invalid(let error) {
            XCTAssertEqual(Set(error.violations.map(\.field)), ["organization_id", "persona_id"])
        }
    }

    func testFreshStoreHasSeedPricesAndPricesChange() async throws {
        let store = try openStore()
        XCTAssertEqual(try store.prices(), PriceTable.seedDefaults)
        let price = Price(modelPattern: "gpt-4o-mini", inputNanosPerMTok: 150_000_000, outputNanosPerMTok: 600_000_000, effectiveFrom: 1_000)
        let set = try await store.setPrice(price)
        XCTAssertEqual(set, price)
        XCTAssertEqual(try store.prices().resolve(model: "gpt-4o-mini", at: 2_000), price)
        try await store.deletePrice(modelPattern: "gpt-4o*", effectiveFrom: 0)
        XCTAssertNil(try store.prices().resolve(model: "gpt-4o", at: 2_000))
        do {
            try await store.deletePrice(modelPattern: "gpt-4o*", effectiveFrom: 0)
            XCTFail("expected notFound")
        } catch StoreError.notFound {}
        do {
            _ = try await store.setPrice(Price(modelPattern: "", inputNanosPerMTok: -1))
            XCTFail("expected invalid")
        } catch StoreError.invalid(let error) {
            XCTAssertEqual(Set(error.violations.map(\.field)), ["model_pattern", "input_nanos_per_mtok"])
        }
        store.close()
        // Reopening does not seed again: a deleted seed price stays deleted.
        let reopened = try openStore()
        defer { reopened.close() }
        XCTAssertNil(try reopened.prices().resolve(model: "gpt-4o", at: 2_000))
        XCTAssertEqual(try reopened.prices().resolve(model: "gpt-4o-mini", at: 2_000), price)
    }

    func testMessagesAreIdempotentThreadedAndLinkedToTurns() async throws {
        let store = try openStore()
        defer { store.close() }
        let inbound = Message(messageId: "m1", organizationId: "org1", contactId: "c1", deviceId: "d1", sessionId: "s1", direction: .inbound, content: "hi")
        let first = try await store.logMessage(inbound, receivedAt: 1_000)
        let again = try await store.logMessage(inbound, receivedAt: 5_000)
        XCTAssertEqual(first, .stored)
        XCTAssertEqual(again, .duplicate)
        var changed = inbound
        changed.content = "hello"
        do {
            _ = try await store.logMessage(changed, receivedAt: 6_000)
            XCTFail("expected conflict")
        } catch StoreError.conflict(let message) {
            XCTAssertTrue(message.contains("m1"), message)
        }
        let outbound = Message(messageId: "m2", organizationId: "org1", contactId: "c1", direction: .outbound, content: "hello!", createdAt: 2_000)
        let second = try await store.logMessage(outbound, receivedAt: 9_000)
        XCTAssertEqual(second, .stored)
        do {
            _ = try await store.logMessage(Message(messageId: "m3", organizationId: "org1"), receivedAt: 1)
            XCTFail("expected invalid")
        } catch StoreError.invalid(let error) {
            XCTAssertEqual(error.violations.map(\.field), ["direction"])
        }

        var thread: [String] = []
        try store.thread(organization: "org1", contact: "c1", window: TimeWindow(since: 0, until: 10_000), newestFirst: true) { thread.append($0.messageId); return true }
        XCTAssertEqual(thread, ["m2", "m1"])
        var all: [String] = []
        try store.messages(organization: "org1", window: TimeWindow(since: 0, until: 1_500)) { all.append($0.messageId); return true }
        XCTAssertEqual(all, ["m1"])

        var reply = turn("t1")
        reply.messageId = "m1"
        _ = try accepted(await log(store, reply))
        XCTAssertEqual(try store.turns(organization: "org1", answering: "m1").map(\.turnId), ["t1"])
        XCTAssertTrue(try store.turns(organization: "org1", answering: "m2").isEmpty)
    }
}
