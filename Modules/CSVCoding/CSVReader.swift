import Foundation
import Kernel
import TextEscaping

/// One record of a CSV file: its fields and the line it starts on (1-based, the header is line 1).
public struct CSVRecord: Sendable {
    public let fields: [String]
    public let line: Int
    /// The first field whose bytes are not UTF-8 (its text has U+FFFD in their place): the
    /// record should be refused with its line, not stored with the replacement characters.
    public let malformedField: Int?
}

/// RFC 4180 CSV read incrementally from chunks of bytes, so that a file of any size is read in
/// constant memory: quoted fields with doubled quotes, commas and line breaks inside quotes,
/// CRLF or LF line ends, a UTF-8 byte order mark at the start.
public final class CSVReader {
    private let nextChunk: () throws -> [UInt8]?
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    /// Whether the start of the input has been looked at for a byte order mark (its three bytes
    /// may arrive in more than one chunk).
    private var startChecked = false
    private var line = 1
    /// Bytes consumed so far (for progress).
    public private(set) var bytesRead = 0

    public init(nextChunk: @escaping () throws -> [UInt8]?) {
        self.nextChunk = nextChunk
    }

    /// Reads a file in chunks of `chunkSize` bytes.
    public convenience init(file handle: FileHandle, chunkSize: Int = 1 << 20) {
        self.init {
            let data = handle.readData(ofLength: chunkSize)
            return data.isEmpty ? nil : [UInt8](data)
        }
    }

    /// Reads bytes already in memory.
    public convenience init(data: Data) {
        var given = false
        self.init {
            if given { return nil }
            given = true
            return [UInt8](data)
        }
    }

    private func refill() throws -> Bool {
        guard !finished else { return false }
        guard let chunk = try nextChunk(), !chunk.isEmpty else {
            finished = true
            return false
        }
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        buffer.append(contentsOf: chunk)
        if !startChecked {
            let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
            if buffer.count >= 3 || !mark.starts(with: buffer) {
                startChecked = true
                if buffer.starts(with: mark) {
                    buffer.removeFirst(3)
                    bytesRead += 3
                }
            } else {
                // Two bytes of what may be a mark: read on before deciding.
                return try refill() || finishStart()
            }
        }
        return true
    }

    /// The input ended within a possible byte order mark: what there is is content.
    private func finishStart() -> Bool {
        startChecked = true
        return !buffer.isEmpty
    }

    /// The next record, or nil at the end. An unterminated quote at the end of the input is an error.
    public func next() throws -> CSVRecord? {
        while true {
            if position >= buffer.count, !(try refill()) { return nil }
            if let (fields, malformed, consumed, lines) = try parseRecord(atEnd: finished) {
                let record = CSVRecord(fields: fields, line: line, malformedField: malformed)
                position += consumed
                bytesRead += consumed
                line += lines
                return record
            }
            // The record runs past the buffer: read more, or parse what is left at the end.
            if !(try refill()) {
                guard let (fields, malformed, consumed, lines) = try parseRecord(atEnd: true) else { return nil }
                let record = CSVRecord(fields: fields, line: line, malformedField: malformed)
                position += consumed
                bytesRead += consumed
                line += lines
                return record
            }
        }
    }

    /// Parses one record from `position`; nil when it is not complete in the buffer (unless `atEnd`).
    private func parseRecord(atEnd: Bool) throws -> (fields: [String], malformed: Int?, consumed: Int, lines: Int)? {
        try buffer.withUnsafeBufferPointer { bytes -> ([String], Int?, Int, Int)? in
            let end = bytes.count
            var index = position
            var fields: [String] = []
            var malformed: Int?
            func text(_ raw: UnsafeBufferPointer<UInt8>) -> String {
                if let valid = String(validating: raw, as: UTF8.self) { return valid }
                if malformed == nil { malformed = fields.count }
                return String(decoding: raw, as: UTF8.self)
            }
            fields.reserveCapacity(24)
            var lines = 1
            var field: [UInt8] = []
            while true {
                // One field.
                if index < end && bytes[index] == UInt8(ascii: "\"") {
                    field.removeAll(keepingCapacity: true)
                    index += 1
                    var closed = false
                    while index < end {
                        let byte = bytes[index]
                        if byte == UInt8(ascii: "\"") {
                            if index + 1 < end && bytes[index + 1] == UInt8(ascii: "\"") {
                                field.append(byte)
                                index += 2
                                continue
                            }
                            if index + 1 >= end && !atEnd { return nil }
                            index += 1
                            closed = true
                            break
                        }
                        if byte == UInt8(ascii: "\n") { lines += 1 }
                        field.append(byte)
                        index += 1
                    }
                    if !closed {
                        if !atEnd { return nil }
                        throw VigilError.invalid("csv", .format, "line \(line): a quoted field is not closed before the end of the file")
                    }
                    fields.append(field.withUnsafeBufferPointer { text($0) })
                } else {
                    let start = index
                    while index < end {
                        let byte = bytes[index]
                        if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
                        index += 1
                    }
                    if index >= end && !atEnd { return nil }
                    fields.append(text(UnsafeBufferPointer(rebasing: bytes[start..<index])))
                }
                // After a field: a comma, a line end, or the end.
                if index >= end {
                    if !atEnd { return nil }
                    return (fields, malformed, index - position, lines)
                }
                let byte = bytes[index]
                if byte == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if byte == UInt8(ascii: "\r") {
                    if index + 1 >= end && !atEnd { return nil }
                    index += 1
                    if index < end && bytes[index] == UInt8(ascii: "\n") { index += 1 }
                    return (fields, malformed, index - position, lines)
                }
                if byte == UInt8(ascii: "\n") {
                    return (fields, malformed, index + 1 - position, lines)
                }
                throw VigilError.invalid("csv", .format, "line \(line): text after a closing quote")
            }
        }
    }
}

/// Writing CSV fields the way the reader reads them back, and the one writer every export uses.
public enum CSV {
    /// A field as it goes into a file. A field a spreadsheet would run as a formula (OWASP's CSV
    /// injection: a leading = + - @, tab or carriage return) gets a leading apostrophe, which
    /// spreadsheets show as text; a field that starts with an apostrophe gets one more, so that
    /// `unneutralized` gives every value back exactly. Plain numbers (-12.50) stay as they are.
    public static func escape(_ field: String) -> String {
        let safe = isFormulaLike(field) ? "'" + field : field
        // A leading U+FEFF is quoted too: at the start of a file its bytes would read as a byte
        // order mark and be dropped.
        guard
            safe.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") })
                || safe.unicodeScalars.first == "\u{FEFF}"
        else {
            return safe
        }
        return "\"" + safe.replacingScalars { $0 == "\"" ? "\"\"" : nil } + "\""
    }

    /// A field read from a file as it was before `escape` guarded it.
    public static func unneutralized(_ field: String) -> String {
        guard field.utf8.first == UInt8(ascii: "'") else { return field }
        let rest = field.droppingFirstScalar
        return isFormulaLike(rest) ? rest : field
    }

    static func isFormulaLike(_ field: String) -> Bool {
        guard let first = field.utf8.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D, UInt8(ascii: "'"): return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return !isPlainNumber(field.utf8.dropFirst())
        default: return false
        }
    }

    /// Digits with at most one decimal point, at least one digit: -12.50, +3.
    private static func isPlainNumber(_ bytes: Substring.UTF8View) -> Bool {
        var digits = 0
        var points = 0
        for byte in bytes {
            if (48...57).contains(byte) { digits += 1 } else if byte == UInt8(ascii: ".") { points += 1 } else { return false }
        }
        return digits > 0 && points <= 1
    }

    public static func line(_ fields: [String]) -> String { fields.map(escape).joined(separator: ",") + "\n" }
}
