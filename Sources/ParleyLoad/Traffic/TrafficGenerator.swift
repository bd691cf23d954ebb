import ParleyCore

/// A deterministic stream of realistic chat traffic for load tests: the same profile
/// (seed included) gives the same events, in time order, on every run.
///
/// Contacts start sessions with Zipf-skewed activity; a session stays on its contact's
/// device and that device's time zone, starts at a local hour drawn from `DailyCycle`,
/// and has a geometric number of turns separated by log-normal think times. Some
/// sessions end with a lead or feedback; some turns are delivered twice.
public struct TrafficGenerator: Sequence, Sendable {
    public let profile: TrafficProfile
    let clocks: [LocalClock]

    /// Directory events come this long before the first day: no zone is ahead of UTC by
    /// more than 14 hours, so no session can start earlier.
    static let maxZoneLead: Millis = 14 * 3_600_000

    public init(_ profile: TrafficProfile) throws(TrafficProfileError) {
        try profile.validate()
        var clocks: [LocalClock] = []
        for name in profile.timeZones { clocks.append(try LocalClock(name)) }
        self.profile = profile
        self.clocks = clocks
    }

    /// When the first event (the directory) happens.
    public var firstEventAt: Millis { profile.start - Self.maxZoneLead }

    public func makeIterator() -> TrafficStream { TrafficStream(generator: self) }

    /// Runs the whole stream and returns its events and totals.
    public func generateAll() -> (events: [TrafficEvent], totals: TrafficTotals) {
        var stream = makeIterator()
        var events: [TrafficEvent] = []
        while let e = stream.next() { events.append(e) }
        return (events, stream.totals)
    }
}

/// The events of a `TrafficGenerator`, made one day at a time. `totals` covers every
/// event made so far, so it is complete once `next()` has returned nil.
public struct TrafficStream: IteratorProtocol, Sendable {
    public private(set) var totals = TrafficTotals()
    private let profile: TrafficProfile
    private let clocks: [LocalClock]
    private var rng: SeededGenerator
    private let zipf: ZipfSampler
    private let modelCumulative: [Double]
    private let idPrefix: String
    private var day = 0
    private var turnsLeft: Int
    private var daysLeft: Int
    /// Made and not yet returned, sorted so the earliest is last (popLast is cheap).
    private var pending: [Sequenced] = []
    private var sequence = 0
    private var finished = false

    private struct Sequenced: Sendable {
        var event: TrafficEvent
        var order: Int
    }

    private static let dayMillis: Millis = 86_400_000
    private static let languages = ["en", "de", "hi", "es"]

    init(generator: TrafficGenerator) {
        profile = generator.profile
        clocks = generator.clocks
        rng = SeededGenerator(seed: profile.seed)
        zipf = ZipfSampler(count: profile.contacts, exponent: profile.zipfExponent)
        modelCumulative = profile.models.reduce(into: []) { $0.append(($0.last ?? 0) + $1.weight) }
        idPrefix = String(profile.seed, radix: 36)
        switch profile.size {
        case .turns(let n):
            turnsLeft = n
            daysLeft = Int.max
        case .days(let n):
            turnsLeft = Int.max
            daysLeft = n
        }
        addDirectory(at: generator.firstEventAt)
    }

    public mutating func next() -> TrafficEvent? {
        while true {
            let horizon = profile.start + Millis(day) * Self.dayMillis - TrafficGenerator.maxZoneLead
            if let last = pending.last, finished || last.event.at < horizon {
                return pending.removeLast().event
            }
            if finished { return nil }
            if turnsLeft == 0 || daysLeft == 0 {
                finished = true
                continue
            }
            makeDay()
        }
    }

    // MARK: the directory

    func deviceId(_ d: Int) -> String { "dev-\(idPrefix)-\(d)" }
    func contactId(_ c: Int) -> String { "c-\(idPrefix)-\(c)" }
    func personaId(_ p: Int) -> String { "p-\(idPrefix)-\(p)" }
    /// Each contact writes to one device; the most active contacts are spread over all.
    func homeDevice(ofContact c: Int) -> Int { c % profile.devices }
    func clock(ofDevice d: Int) -> LocalClock { clocks[d % clocks.count] }

    private mutating func addDirectory(at time: Millis) {
        let org = profile.organizationId
        for d in 0..<profile.devices {
            let device = Device(organizationId: org, deviceId: deviceId(d), name: "Device \(d + 1)",
                                phoneNumber: "+1555\(String(1_000_000 + d))")
            add(TrafficEvent(at: time, kind: .device(device, timeZone: clock(ofDevice: d).name)))
        }
        for p in 0..<profile.personas {
            let model = profile.models[p % profile.models.count].model
            add(TrafficEvent(at: time, kind: .persona(Persona(organizationId: org, personaId: personaId(p),
                                                               name: "Persona \(p + 1)", defaultModel: model))))
        }
        for c in 0..<profile.contacts {
            add(TrafficEvent(at: time, kind: .contact(Contact(organizationId: org, contactId: contactId(c),
                                                               name: "Contact \(c + 1)", phoneNumber: "+4917\(String(10_000_000 + c))"))))
        }
        sortPending()
    }

    // MARK: one day

    private mutating func makeDay() {
        let midnight = profile.start + Millis(day) * Self.dayMillis
        var made = 0
        while made < profile.turnsPerDay, turnsLeft > 0 {
            let turns = makeSession(dayStart: midnight, maxTurns: min(profile.turnsPerDay - made, turnsLeft))
            made += turns
            turnsLeft -= turns
        }
        day += 1
        if daysLeft != Int.max { daysLeft -= 1 }
        sortPending()
    }

    /// Makes one session of at most `maxTurns` turns; returns how many it made.
    private mutating func makeSession(dayStart: Millis, maxTurns: Int) -> Int {
        let org = profile.organizationId
        let contact = zipf.draw(&rng)
        let device = homeDevice(ofContact: contact)
        let clock = clock(ofDevice: device)
        let persona = rng.below(profile.personas)
        let model = drawModel()
        let language = Self.languages[(device + contact) % Self.languages.count]
        let sessionNumber = totals.sessions
        totals.sessions += 1
        let sessionId = "s-\(idPrefix)-\(sessionNumber)"
        let count = min(maxTurns, drawTurnCount())

        var time = dayStart - clock.offset(at: dayStart) + DailyCycle.drawTimeOfDay(&rng)
        var turnIds: [String] = []
        var lastReply = time
        for _ in 0..<count {
            let number = totals.turns
            let responseTime = Millis(min(60_000, max(200, rng.logNormal(median: 2_500, sigma: 0.6))))
            let input = Int64(max(1, rng.logNormal(median: model.medianInputTokens, sigma: 0.5)))
            let output = Int64(max(1, rng.logNormal(median: model.medianOutputTokens, sigma: 0.6)))
            let reply = time + responseTime
            let turn = Turn(
                turnId: "t-\(idPrefix)-\(number)", organizationId: org, sessionId: sessionId,
                deviceId: deviceId(device), messageId: "m-\(idPrefix)-\(number)", contactId: contactId(contact),
                personaId: personaId(persona), model: model.model,
                userMessage: sentence(words: 4...24), aiResponse: sentence(words: 10...80),
                tokens: TokenCounts(input: input, output: output, total: input + output),
                userMessageAt: time, repliedAt: reply, responseTime: responseTime, language: language,
                sentimentScore: Double(rng.int(in: -100...100)) / 100, errorCount: rng.chance(0.03) ? 1 : 0)
            add(TrafficEvent(at: reply, kind: .turn(turn)))
            totals.countTurn(turn, day: clock.day(of: reply))
            if rng.chance(profile.duplicateRate) {
                let retryAfter = Millis(min(60_000, max(100, rng.logNormal(median: 3_000, sigma: 0.8))))
                add(TrafficEvent(at: reply + retryAfter, kind: .duplicateTurn(turn)))
                totals.duplicateDeliveries += 1
            }
            turnIds.append(turn.turnId)
            lastReply = reply
            time = reply + Millis(min(1_200_000, max(2_000, rng.logNormal(median: 25_000, sigma: 0.9))))
        }
        if rng.chance(profile.leadRate) {
            let at = lastReply + Millis(rng.int(in: 5_000...120_000))
            add(TrafficEvent(at: at, kind: .lead(Lead(organizationId: org, sessionId: sessionId, name: "Contact \(contact + 1)",
                                                      email: "contact\(contact + 1)@example.com",
                                                      company: "Company \(contact % 97 + 1)", capturedAt: at))))
            totals.leads += 1
        }
        if rng.chance(profile.feedbackRate) {
            let at = lastReply + Millis(rng.int(in: 10_000...600_000))
            let forTurn = rng.chance(0.5) ? turnIds[rng.below(turnIds.count)] : ""
            add(TrafficEvent(at: at, kind: .feedback(Feedback(organizationId: org, sessionId: sessionId, turnId: forTurn,
                                                              score: drawScore(), givenAt: at))))
            totals.feedback += 1
        }
        return count
    }

    // MARK: draws

    private mutating func drawModel() -> ModelShare {
        // safe: validate() requires at least one model.
        let target = rng.unit() * modelCumulative.last!
        return profile.models[modelCumulative.firstIndex { $0 > target } ?? profile.models.count - 1]
    }

    /// Geometric on 1, 2, ... with the profile's mean, capped at 40.
    private mutating func drawTurnCount() -> Int {
        let stop = 1 / profile.meanTurnsPerSession
        var n = 1
        while n < 40, !rng.chance(stop) { n += 1 }
        return n
    }

    /// Satisfaction skews high, as it does in practice.
    private mutating func drawScore() -> Int32 {
        let u = rng.unit()
        switch u {
        case ..<0.05: return 1
        case ..<0.12: return 2
        case ..<0.25: return 3
        case ..<0.60: return 4
        default: return 5
        }
    }

    private static let vocabulary = [
        "order", "delivery", "price", "hello", "thanks", "when", "can", "you", "help", "with", "my", "the",
        "invoice", "refund", "size", "colour", "available", "today", "tomorrow", "store", "open", "please",
        "account", "password", "appointment", "booking", "change", "cancel", "status", "tracking", "number",
    ]

    private mutating func sentence(words: ClosedRange<Int>) -> String {
        let n = rng.int(in: words)
        var parts: [String] = []
        parts.reserveCapacity(n)
        for _ in 0..<n { parts.append(Self.vocabulary[rng.below(Self.vocabulary.count)]) }
        return parts.joined(separator: " ")
    }

    // MARK: ordering

    private mutating func add(_ event: TrafficEvent) {
        pending.append(Sequenced(event: event, order: sequence))
        sequence += 1
    }

    /// Latest first, ties by creation order reversed, so popping gives time order and
    /// a session's events keep the order they were made in.
    private mutating func sortPending() {
        // Sort plain keys, then move each event once: comparing inside the events
        // themselves costs a copy of a turn per comparison in debug builds.
        let keys = pending.indices.map { (at: pending[$0].event.at, order: pending[$0].order, index: $0) }
            .sorted { a, b in a.at != b.at ? a.at > b.at : a.order > b.order }
        pending = keys.map { pending[$0.index] }
    }
}
