import Foundation

/// Where the vocabulary is looked for when no path is given: the file
/// `Tools/install-vocab` installs by default.
public enum VocabularyLocation {
    public static let fileName = "cl100k_base.tiktoken"

    /// $XDG_CACHE_HOME/parley/cl100k_base.tiktoken, else ~/.cache/parley/cl100k_base.tiktoken.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache")
        return ((cache as NSString).appendingPathComponent("parley") as NSString).appendingPathComponent(fileName)
    }
}
