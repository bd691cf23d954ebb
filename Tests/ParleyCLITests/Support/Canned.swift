import ParleyWire

/// Builds protobuf answers by hand, as the analytics RPCs would send them, so views can
/// be tested before (and independently of) the server side.
enum Canned {
    static func money(_ nanos: Int64, unpriced: Int64 = 0) -> V1.Money {
        V1.Money(nanos: nanos, unpricedTokens: unpriced > 0 ? unpriced : nil)
    }
}
