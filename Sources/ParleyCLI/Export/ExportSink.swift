import Foundation
import ParleyWire

/// Where exported rows go (a file, or the terminal's standard output) and in which
/// shape: flat JSON objects one per line, or CSV with a header from the row type.
final class ExportSink {
    private let handle: FileHandle?
    private let shape: ExportCommand.Shape
    private let terminal = Terminal.current
    private var columns: [String] = []

    init(path: String?, shape: ExportCommand.Shape) throws {
        self.shape = shape
        guard let path else {
            handle = nil
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw CLIError.local("cannot create \(path); check the directory exists and is writable")
        }
        handle = h
    }

    /// Starts the output: CSV's header line.
    func begin(_ rowType: any FieldWalk.Type) throws {
        columns = FlatRecord.columns(of: rowType)
        if shape == .csv { try emit(columns.map(Table.csvField).joined(separator: ",") + "\n") }
    }

    func write(_ row: any FieldWalk) throws {
        switch shape {
        case .jsonl: try emit(FlatRecord.jsonLine(of: row) + "\n")
        case .csv: try emit(FlatRecord.cells(of: row, columns: columns).map(Table.csvField).joined(separator: ",") + "\n")
        }
    }

    func close() {
        try? handle?.close()
    }

    private func emit(_ text: String) throws {
        if let handle {
            do { try handle.write(contentsOf: Data(text.utf8)) } catch {
                throw CLIError.local("cannot write the export: \(error.localizedDescription)")
            }
        } else {
            terminal.write(text)
        }
    }
}
