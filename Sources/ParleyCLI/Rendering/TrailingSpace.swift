extension String {
    /// The line without trailing spaces, so aligned output diffs cleanly.
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
