/// Sizes as people read them: "4.0 KiB", "1.3 GiB".
enum ByteCount {
    static func text(_ bytes: Int64) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(Format.integer(bytes)) bytes" : Format.decimal(value) + " " + units[unit]
    }
}
