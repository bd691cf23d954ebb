import CProtobufC
import ParleyProtoC

/// What protoc-c made of Protos/, read from the descriptors it generated, so the tests
/// can hold the Swift generator's output against protoc-c's own reading of the same files.
enum DescriptorCatalog {
    /// Field names by full message name ("parley.v1.Turn"), in the descriptor's order.
    static var fieldNames: [String: [String]] {
        var count = 0
        guard let list = parley_message_descriptors(&count) else { return [:] }
        var out: [String: [String]] = [:]
        for i in 0..<count {
            guard let d = list[i]?.pointee else { continue }
            out[String(cString: d.name)] = (0..<Int(d.n_fields)).map { String(cString: d.fields[$0].name) }
        }
        return out
    }

    /// `service Parley`'s methods in wire order: name, request and response type.
    static var methods: [(name: String, request: String, response: String)] {
        guard let service = parley_service_descriptor()?.pointee else { return [] }
        return (0..<Int(service.n_methods)).map { i in
            let m = service.methods[i]
            return (String(cString: m.name), String(cString: m.input.pointee.name), String(cString: m.output.pointee.name))
        }
    }
}
