import Foundation
import ParleyFuzz

#if FUZZING
import CFuzzerDriver

/// libFuzzer calls this for every input; its name is fixed by libFuzzer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // The C entry's (pointer, length) pair, copied once into Swift bytes.
    FuzzInput.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
#endif

/// parley-fuzz: built by Tools/fuzz with `-sanitize=fuzzer -DFUZZING` it is a libFuzzer
/// binary (`parley-fuzz CORPUS_DIR -max_total_time=60`); built plainly it runs the given
/// files or directories of inputs once each, the corpus as a regression check.
@main
enum ParleyFuzzMain {
    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
        #else
        var count = 0
        for path in CommandLine.arguments.dropFirst() {
            for file in inputs(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("parley-fuzz: cannot read \(file)\n".utf8))
                    exit(1)
                }
                FuzzInput.run([UInt8](data))
                count += 1
            }
        }
        print("parley-fuzz: ran \(count) inputs without a finding")
        #endif
    }

    /// A file, or every file in a directory (sorted, so runs are repeatable).
    static func inputs(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }
    }
}
