#!/usr/bin/env python3
"""Generates typed Swift messages and the method table from Protos/*.proto.

Usage: gen_swift.py PROTO_DIR OUT_DIR CLIENT_OUT_DIR SAMPLES_FILE

For every message: a struct in the `V1` namespace (the proto package parley.v1) with one
stored property per field (optionals carry presence, repeated fields are arrays), and a
conformance to the bridge's `CBackedMessage` that fills and reads the C structs
protoc-c generated, so protobuf-c stays the codec, and a `FieldWalk` conformance that
lists the fields as values for JSON and CSV output. For every enum: a Swift enum. For
`service Parley`: the `Method` enum and one typed `RPC` value per method. SAMPLES_FILE gets
one value of every message with all fields set and one with none, for the round-trip tests.
CLIENT_OUT_DIR gets one typed ParleyClient method per RPC.

Only the subset of proto2 Parley uses is accepted; anything else stops the generator
with a message, so a new construct cannot be silently mistranslated.
"""
import os
import re
import sys

SCALARS = {
    # proto type: (Swift type, C storage read, C storage write)
    "string": "String",
    "int64": "Int64",
    "int32": "Int32",
    "uint32": "UInt32",
    "uint64": "UInt64",
    "double": "Double",
    "bool": "Bool",
    "bytes": "[UInt8]",
}

SWIFT_KEYWORDS = {
    "associatedtype", "class", "deinit", "enum", "extension", "func", "import", "init",
    "inout", "internal", "let", "operator", "private", "protocol", "public", "static",
    "struct", "subscript", "typealias", "var", "break", "case", "continue", "default",
    "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
    "switch", "where", "while", "as", "catch", "false", "is", "nil", "rethrows", "super",
    "self", "Self", "throw", "throws", "true", "try", "Type", "Protocol", "any", "some",
}


class ProtoError(Exception):
    pass


def tokenize(text):
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.findall(r'"[^"]*"|[A-Za-z_][A-Za-z0-9_.]*|\d+|[{};=()<>,\[\]]', text)


class Parser:
    def __init__(self, tokens, filename):
        self.t = tokens
        self.i = 0
        self.filename = filename

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else None

    def next(self):
        tok = self.peek()
        if tok is None:
            raise ProtoError(f"{self.filename}: unexpected end of file")
        self.i += 1
        return tok

    def expect(self, want):
        tok = self.next()
        if tok != want:
            raise ProtoError(f"{self.filename}: expected '{want}', found '{tok}'")

    def parse(self):
        out = {"package": None, "messages": [], "enums": [], "services": []}
        while self.peek() is not None:
            tok = self.next()
            if tok == "syntax":
                self.expect("=")
                syntax = self.next()
                if syntax != '"proto2"':
                    raise ProtoError(f"{self.filename}: only proto2 is supported, found {syntax}")
                self.expect(";")
            elif tok == "package":
                out["package"] = self.next()
                self.expect(";")
            elif tok == "import":
                self.next()
                self.expect(";")
            elif tok == "message":
                out["messages"].append(self.message())
            elif tok == "enum":
                out["enums"].append(self.enum())
            elif tok == "service":
                out["services"].append(self.service())
            else:
                raise ProtoError(f"{self.filename}: unsupported top-level '{tok}'")
        return out

    def message(self):
        name = self.next()
        self.expect("{")
        fields = []
        while self.peek() != "}":
            label = self.next()
            if label not in ("optional", "repeated"):
                raise ProtoError(f"{self.filename}: {name}: unsupported '{label}' (only optional and repeated fields)")
            ftype = self.next()
            fname = self.next()
            self.expect("=")
            number = int(self.next())
            if self.peek() == "[":
                raise ProtoError(f"{self.filename}: {name}.{fname}: field options are not supported")
            self.expect(";")
            fields.append({"label": label, "type": ftype, "name": fname, "number": number})
        self.expect("}")
        return {"name": name, "fields": fields}

    def enum(self):
        name = self.next()
        self.expect("{")
        values = []
        while self.peek() != "}":
            vname = self.next()
            self.expect("=")
            values.append((vname, int(self.next())))
            self.expect(";")
        self.expect("}")
        return {"name": name, "values": values}

    def service(self):
        name = self.next()
        self.expect("{")
        methods = []
        while self.peek() != "}":
            self.expect("rpc")
            mname = self.next()
            self.expect("(")
            request = self.next()
            self.expect(")")
            self.expect("returns")
            self.expect("(")
            streaming = False
            if self.peek() == "stream":
                self.next()
                streaming = True
            response = self.next()
            self.expect(")")
            self.expect(";")
            methods.append({"name": mname, "request": request, "response": response, "streaming": streaming})
        self.expect("}")
        return {"name": name, "methods": methods}


def snake_of_camel(name):
    """protoc-c's lower-case form of a CamelCase name: UsageRequest -> usage_request. As
    protoc-c, an underscore goes only before a capital that follows a non-capital, so a run
    of capitals stays one word: OpenAIUsage -> open_aiusage."""
    return re.sub(r"(?<=[^A-Z])([A-Z])", r"_\1", name).lower()


def camel(snake, upper_first=False):
    parts = snake.lower().split("_")
    words = []
    for i, p in enumerate(parts):
        if p == "id" and i > 0:
            words.append("ID")
        elif i == 0 and not upper_first:
            words.append(p)
        else:
            words.append(p[:1].upper() + p[1:])
    s = "".join(words)
    return f"`{s}`" if s in SWIFT_KEYWORDS else s


def bare(name):
    return name.strip("`")


class Generator:
    def __init__(self, files):
        self.files = files
        self.messages = {}
        self.enums = {}
        for f in files:
            pkg = f["package"]
            if pkg != "parley.v1":
                raise ProtoError(f"{f['filename']}: package {pkg}: only parley.v1 is supported")
            for m in f["messages"]:
                self.messages[m["name"]] = m
            for e in f["enums"]:
                self.enums[e["name"]] = e
        for m in self.messages.values():
            for fld in m["fields"]:
                t = fld["type"]
                if t not in SCALARS and t not in self.messages and t not in self.enums:
                    raise ProtoError(f"{m['name']}.{fld['name']}: unsupported type '{t}'")
                if t == "bytes" and fld["label"] == "repeated":
                    raise ProtoError(f"{m['name']}.{fld['name']}: repeated bytes are not supported")

    def c_struct(self, name):
        return f"Parley__V1__{name}"

    def c_fn(self, name, fn):
        return f"parley__v1__{snake_of_camel(name)}__{fn}"

    def swift_type(self, fld):
        t = fld["type"]
        if t in SCALARS:
            base = SCALARS[t]
        else:
            base = f"V1.{t}"
        return f"[{base}]" if fld["label"] == "repeated" else f"{base}?"

    # MARK: files

    def header(self, source):
        return [
            f"// Generated by Tools/gen-protos from Protos/{source}. Do not edit.",
            "// swiftlint:disable all",
            "import CProtobufC",
            "import ParleyProtoC",
            "",
        ]

    # A generated file stays under this many lines, like every hand-written one, so that
    # a proto holding a whole report family becomes several files a reader can take in.
    PART_LINES = 550

    def files_for(self, f):
        """The Swift files for one proto, as (name suffix, text) pairs: the enums and
        messages in proto order, cut between declarations into parts of at most
        PART_LINES lines. The first part is `BASE.pb.swift`; each later one is named
        after the first message it holds, `BASE.FirstMessage.pb.swift`."""
        decls = [(e["name"], self.enum_decl(e)) for e in f["enums"]]
        decls += [(m["name"], self.message_decl(m)) for m in f["messages"]]
        header = self.header(f["filename"])
        sizes = [len(lines) for _, lines in decls]
        # Filling each part to the limit gives the fewest parts; the smallest size at
        # which that many parts still hold every declaration evens them out.
        count = len(self.cut(sizes, self.PART_LINES - len(header)))
        cap = max(sizes)
        while len(self.cut(sizes, cap)) > count:
            cap += 1
        parts = []
        for first, last in self.cut(sizes, cap):
            parts.append((decls[first][0], header + [line for _, lines in decls[first:last] for line in lines]))
        out = []
        for i, (first, lines) in enumerate(parts):
            suffix = "" if i == 0 else f".{first}"
            out.append((suffix, "\n".join(lines).rstrip() + "\n"))
        return out

    @staticmethod
    def cut(sizes, cap):
        """Consecutive [first, last) ranges of `sizes`, each filled up to `cap`."""
        ranges, first, size = [], 0, 0
        for i, n in enumerate(sizes):
            if i > first and size + n > cap:
                ranges.append((first, i))
                first, size = i, 0
            size += n
        ranges.append((first, len(sizes)))
        return ranges

    def enum_decl(self, e):
        name = e["name"]
        lines = [f"extension V1 {{", f"    /// parley.v1.{name}", f"    public enum {name}: Int32, Sendable, Hashable, CaseIterable {{"]
        for vname, number in e["values"]:
            lines.append(f"        case {camel(vname)} = {number}")
        lines += ["    }", "}", ""]
        lines += [
            f"extension V1.{name}: CBackedEnum {{",
            f"    typealias CValue = {self.c_struct(name)}",
            f"    static let protoName = \"parley.v1.{name}\"",
            f"    var cValue: CValue {{ CValue(rawValue: .init(truncatingIfNeeded: rawValue)) }}",
            "}",
            "",
        ]
        return lines

    def message_decl(self, m):
        name = m["name"]
        fields = m["fields"]
        lines = ["extension V1 {", f"    /// parley.v1.{name}", f"    public struct {name}: WireMessage {{"]
        for fld in fields:
            default = " = []" if fld["label"] == "repeated" else ""
            lines.append(f"        public var {camel(fld['name'])}: {self.swift_type(fld)}{default}")
        if fields:
            lines.append("")
        lines.append("        public init() {}")
        if fields:
            params = []
            for fld in fields:
                default = "[]" if fld["label"] == "repeated" else "nil"
                params.append(f"{camel(fld['name'])}: {self.swift_type(fld)} = {default}")
            lines.append("")
            lines.append("        public init(")
            lines.append(",\n".join(f"            {p}" for p in params))
            lines.append("        ) {")
            for fld in fields:
                n = camel(fld["name"])
                lines.append(f"            self.{bare(n)} = {bare(n)}")
            lines.append("        }")
        lines += ["    }", "}", ""]
        lines += self.bridge_decl(m)
        lines += self.walk_decl(m)
        return lines

    def walk_value(self, fld, v):
        """A FieldValue for one value `v` of the field."""
        t = fld["type"]
        if t in ("int64",):
            return f".int({v})"
        if t in ("int32",):
            return f".int(Int64({v}))"
        if t == "uint64":
            return f".uint({v})"
        if t == "uint32":
            return f".uint(UInt64({v}))"
        if t == "double":
            return f".double({v})"
        if t == "bool":
            return f".bool({v})"
        if t == "string":
            return f".string({v})"
        if t == "bytes":
            return f".bytes({v})"
        if t in self.enums:
            return f".int(Int64({v}.rawValue))"
        return f".message({v})"

    def walk_decl(self, m):
        """The FieldWalk conformance: the schema and the present fields, by field number."""
        name = m["name"]
        fields = sorted(m["fields"], key=lambda f: f["number"])
        lines = [f"extension V1.{name}: FieldWalk {{", "    public static let fieldSchema: [FieldSchema] = ["]
        for fld in fields:
            args = [f'"{fld["name"]}"']
            if fld["label"] == "repeated":
                args.append("repeated: true")
            if fld["type"] in self.messages:
                args.append(f"message: V1.{fld['type']}.self")
            lines.append(f"        FieldSchema({', '.join(args)}),")
        lines.append("    ]")
        lines.append("")
        lines.append("    public var presentFields: [(field: FieldSchema, value: FieldValue)] {")
        if not fields:
            lines += ["        []", "    }", "}", ""]
            return lines
        lines.append("        var out: [(field: FieldSchema, value: FieldValue)] = []")
        for i, fld in enumerate(fields):
            n = bare(camel(fld["name"]))
            if fld["label"] == "repeated":
                lines.append(f"        if !{n}.isEmpty {{ out.append((Self.fieldSchema[{i}], .list({n}.map {{ {self.walk_value(fld, '$0')} }}))) }}")
            else:
                lines.append(f"        if let v = {n} {{ out.append((Self.fieldSchema[{i}], {self.walk_value(fld, 'v')})) }}")
        lines += ["        return out", "    }", "}", ""]
        return lines

    def bridge_decl(self, m):
        name = m["name"]
        cs = self.c_struct(name)
        lines = [
            f"extension V1.{name}: CBackedMessage {{",
            f"    typealias CStruct = {cs}",
            f"    public static let protoName = \"parley.v1.{name}\"",
            f"    static func cInit(_ c: UnsafeMutablePointer<CStruct>) {{ {self.c_fn(name, 'init')}(c) }}",
            f"    static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? {{",
            f"        {self.c_fn(name, 'unpack')}(nil, count, data)",
            "    }",
            f"    static func cFree(_ c: UnsafeMutablePointer<CStruct>) {{ {self.c_fn(name, 'free_unpacked')}(c, nil) }}",
            f"    static func cPackedSize(_ c: UnsafePointer<CStruct>) -> Int {{ {self.c_fn(name, 'get_packed_size')}(c) }}",
            f"    static func cPack(_ c: UnsafePointer<CStruct>, _ out: UnsafeMutablePointer<UInt8>?) -> Int {{ {self.c_fn(name, 'pack')}(c, out) }}",
            "",
        ]
        fields = m["fields"]
        # fill
        lines.append(f"    func fill(_ c: UnsafeMutablePointer<CStruct>, _ arena: CArena) throws {{")
        for fld in fields:
            lines += ["        " + l for l in self.fill_field(name, fld)]
        lines.append("    }")
        lines.append("")
        # read
        var = "c" if fields else "_"
        lines.append(f"    init(reading {var}: UnsafePointer<CStruct>) throws {{")
        lines.append("        self.init()")
        for fld in fields:
            lines += ["        " + l for l in self.read_field(name, fld)]
        lines.append("    }")
        lines += ["}", ""]
        return lines

    def fill_field(self, msg, fld):
        n = bare(camel(fld["name"]))
        c = fld["name"]
        t = fld["type"]
        where = f'"{fld["name"]}", in: Self.protoName'
        if fld["label"] == "repeated":
            if t == "string":
                conv = f"try arena.strings({n}, field: {where})"
            elif t in self.messages:
                conv = f"try arena.messages({n})"
            elif t in self.enums:
                conv = f"arena.array({n}.map(\\.cValue))"
            elif t == "bool":
                conv = f"arena.array({n}.map {{ protobuf_c_boolean($0 ? 1 : 0) }})"
            else:
                conv = f"arena.array({n})"
            return [f"if !{n}.isEmpty {{",
                    f"    c.pointee.n_{c} = {n}.count",
                    f"    c.pointee.{c} = {conv}",
                    "}"]
        if t == "string":
            return [f"if let v = {n} {{ c.pointee.{c} = try arena.string(v, field: {where}) }}"]
        if t in self.messages:
            return [f"if let v = {n} {{ c.pointee.{c} = try arena.message(v) }}"]
        if t == "bytes":
            return [f"if let v = {n} {{ c.pointee.has_{c} = 1; c.pointee.{c} = arena.binary(v) }}"]
        if t in self.enums:
            value = "v.cValue"
        elif t == "bool":
            value = "v ? 1 : 0"
        else:
            value = "v"
        return [f"if let v = {n} {{ c.pointee.has_{c} = 1; c.pointee.{c} = {value} }}"]

    def read_field(self, msg, fld):
        n = bare(camel(fld["name"]))
        c = fld["name"]
        t = fld["type"]
        where = f'"{fld["name"]}", in: Self.protoName'
        if fld["label"] == "repeated":
            if t == "string":
                return [f"{n} = try CRead.strings(c.pointee.{c}, c.pointee.n_{c}, field: {where})"]
            if t in self.messages:
                return [f"{n} = try CRead.messages(c.pointee.{c}, c.pointee.n_{c})"]
            if t in self.enums:
                return [f"{n} = try CRead.enums(c.pointee.{c}, c.pointee.n_{c}, field: {where})"]
            if t == "bool":
                return [f"{n} = CRead.array(c.pointee.{c}, c.pointee.n_{c}).map {{ $0 != 0 }}"]
            return [f"{n} = CRead.array(c.pointee.{c}, c.pointee.n_{c})"]
        if t == "string":
            return [f"if let p = c.pointee.{c} {{ {n} = try CRead.string(p, field: {where}) }}"]
        if t in self.messages:
            return [f"if let p = c.pointee.{c} {{ {n} = try V1.{t}(reading: p) }}"]
        if t == "bytes":
            return [f"if c.pointee.has_{c} != 0 {{ {n} = CRead.binary(c.pointee.{c}) }}"]
        if t in self.enums:
            value = f"try CRead.enumeration(c.pointee.{c}, field: {where})"
        elif t == "bool":
            value = f"c.pointee.{c} != 0"
        else:
            value = f"c.pointee.{c}"
        return [f"if c.pointee.has_{c} != 0 {{ {n} = {value} }}"]

    def sample_value(self, fld, depth):
        t = fld["type"]
        num = fld["number"]
        if t == "string":
            return f'"{fld["name"]}-\\u{{E9}}-{num}"'
        if t in ("int64", "int32"):
            return f"-{num}" if num % 2 else f"{SCALARS[t]}.max"
        if t in ("uint32", "uint64"):
            return f"{SCALARS[t]}.max" if num % 2 else str(num)
        if t == "double":
            return f"{num}.5"
        if t == "bool":
            return "true"
        if t == "bytes":
            return "[0, 1, 255]"
        if t in self.enums:
            return f"V1.{t}.{bare(camel(self.enums[t]['values'][-1][0]))}"
        return self.sample_full(t, depth + 1)

    def sample_full(self, name, depth=0):
        m = self.messages[name]
        if not m["fields"]:
            return f"V1.{name}()"
        args = []
        for fld in m["fields"]:
            v = self.sample_value(fld, depth)
            if fld["label"] == "repeated":
                v = f"[{v}, {v}]"
            args.append(f"{bare(camel(fld['name']))}: {v}")
        pad = "    " * (depth + 3)
        return f"V1.{name}(\n{pad}" + f",\n{pad}".join(args) + ")"

    def samples_file(self):
        names = [m["name"] for f in self.files for m in f["messages"]]
        lines = [
            "// Generated by Tools/gen-protos from Protos/. Do not edit.",
            "@testable import ParleyWire",
            "",
            "/// One value of every generated message with every field set (recursively), and",
            "/// one with none set: the round-trip tests encode and decode each.",
            "enum MessageSamples {",
            "    static let empty: [any WireMessage] = [",
        ]
        for n in names:
            lines.append(f"        V1.{n}(),")
        lines += ["    ]", "", "    static let full: [any WireMessage] = ["]
        for n in names:
            lines.append(f"        {self.sample_full(n)},")
        lines += ["    ]", "}", ""]
        return "\n".join(lines)

    def methods_file(self, f, service):
        lines = [
            f"// Generated by Tools/gen-protos from `service {service['name']}` in Protos/{f['filename']}. Do not edit.",
            "",
            f"/// The methods of `service {service['name']}`. A method's id on the wire is its 1-based",
            "/// position in the .proto; methods are only ever appended.",
            "public enum Method: UInt16, CaseIterable, Sendable {",
        ]
        for i, m in enumerate(service["methods"]):
            lines.append(f"    case {camel(snake_of_camel(m['name']))} = {i + 1}")
        lines += [
            "",
            "    /// The name in the .proto, e.g. \"LogTurn\".",
            "    public var name: String {",
            "        switch self {",
        ]
        for m in service["methods"]:
            lines.append(f"        case .{camel(snake_of_camel(m['name']))}: return \"{m['name']}\"")
        lines += ["        }", "    }", "",
                  "    /// Whether the method answers with a stream of frames flagged MORE.",
                  "    public var kind: RPCKind {",
                  "        switch self {"]
        for m in service["methods"]:
            kind = ".serverStreaming" if m["streaming"] else ".unary"
            lines.append(f"        case .{camel(snake_of_camel(m['name']))}: return {kind}")
        lines += ["        }", "    }", "}", "",
                  f"/// `service {service['name']}` as typed values: each carries its request and response",
                  "/// type, so a handler or a client call of the wrong type does not compile.",
                  "public enum ParleyRPC {"]
        for m in service["methods"]:
            case = camel(snake_of_camel(m["name"]))
            typ = "ServerStreamingRPC" if m["streaming"] else "UnaryRPC"
            lines.append(f"    public static let {bare(case)} = {typ}<V1.{m['request']}, V1.{m['response']}>(.{bare(case)})")
        lines += ["",
                  "    /// Every method with its request and response type, in wire order.",
                  "    static var table: [(method: Method, request: any WireMessage.Type, response: any WireMessage.Type)] {",
                  "        ["]
        for m in service["methods"]:
            case = bare(camel(snake_of_camel(m["name"])))
            lines.append(f"            (.{case}, V1.{m['request']}.self, V1.{m['response']}.self),")
        lines += ["        ]", "    }", "}", ""]
        return "\n".join(lines)


def client_file(f, service):
    lines = [
        f"// Generated by Tools/gen-protos from `service {service['name']}` in Protos/{f['filename']}. Do not edit.",
        "import ParleyWire",
        "",
        "/// One typed method per RPC: `try await client.logTurn(turn)` answers a `V1.LogTurnResponse`;",
        "/// a server-streaming method answers an `AsyncThrowingStream` of its messages.",
        "extension ParleyClient {",
    ]
    for m in service["methods"]:
        case = bare(camel(snake_of_camel(m["name"])))
        if m["streaming"]:
            lines += [
                f"    public func {case}(_ request: V1.{m['request']}, timeoutMs: UInt32? = nil,",
                f"                       metadata: CallMetadata = CallMetadata()) -> AsyncThrowingStream<V1.{m['response']}, Error> {{",
                f"        stream(ParleyRPC.{case}, request, timeoutMs: timeoutMs, metadata: metadata)",
                "    }",
            ]
        else:
            lines += [
                f"    public func {case}(_ request: V1.{m['request']}, timeoutMs: UInt32? = nil,",
                f"                       metadata: CallMetadata = CallMetadata()) async throws -> V1.{m['response']} {{",
                f"        try await call(ParleyRPC.{case}, request, timeoutMs: timeoutMs, metadata: metadata)",
                "    }",
            ]
        lines.append("")
    lines[-1:] = ["}", ""]
    return "\n".join(lines)


def main():
    if len(sys.argv) != 5:
        print("usage: gen_swift.py PROTO_DIR OUT_DIR CLIENT_OUT_DIR SAMPLES_FILE", file=sys.stderr)
        return 2
    proto_dir, out_dir, client_dir, samples_path = sys.argv[1:5]
    files = []
    for fn in sorted(os.listdir(proto_dir)):
        if not fn.endswith(".proto"):
            continue
        with open(os.path.join(proto_dir, fn), encoding="utf-8") as fh:
            parsed = Parser(tokenize(fh.read()), fn).parse()
        parsed["filename"] = fn
        files.append(parsed)
    try:
        gen = Generator(files)
        os.makedirs(out_dir, exist_ok=True)
        for f in files:
            base = f["filename"][: -len(".proto")]
            for suffix, text in gen.files_for(f):
                with open(os.path.join(out_dir, f"{base}{suffix}.pb.swift"), "w", encoding="utf-8") as out:
                    out.write(text)
            for s in f["services"]:
                with open(os.path.join(out_dir, f"{base}.methods.swift"), "w", encoding="utf-8") as out:
                    out.write(gen.methods_file(f, s))
                os.makedirs(client_dir, exist_ok=True)
                with open(os.path.join(client_dir, f"{base}.client.swift"), "w", encoding="utf-8") as out:
                    out.write(client_file(f, s))
        os.makedirs(os.path.dirname(samples_path), exist_ok=True)
        with open(samples_path, "w", encoding="utf-8") as out:
            out.write(gen.samples_file())
    except ProtoError as e:
        print(f"gen-protos: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
