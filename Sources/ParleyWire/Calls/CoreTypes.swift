// The wire reports field violations exactly as the domain names them.
@_exported import struct ParleyCore.FieldViolation
@_exported import struct ParleyCore.ValidationError
