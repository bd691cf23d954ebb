import ParleyTestSupport

extension SeededGenerator {
    mutating func identifier(maxLength: Int = 12) -> String {
        let alphabet = Array("abcXYZ019._:@+-")
        let length = Int.random(in: 1...maxLength, using: &self)
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &self)] })
    }
}
