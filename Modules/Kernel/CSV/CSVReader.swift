import Foundation

/// One record of a CSV file: its fields and the line it starts on (1-based, the header is line 1).
public struct CSVRecord: Sendable {
    public let fields: [String]
    public let line: Int
}

/// RFC 4180 CSV read incrementally from chunks of bytes, so that a file of any size is read in
/// constant memory: quoted fields with doubled quotes, commas and line breaks inside quotes,
/// CRLF or LF line ends, a UTF-8 byte order mark at the start.
public final class CSVReader {
    private let nextChunk: () throws -> [UInt8]?
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
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
        if buffer.isEmpty && bytesRead == 0 && chunk.starts(with: [0xEF, 0xBB, 0xBF]) {
            buffer.append(contentsOf: chunk.dropFirst(3))
            bytesRead += 3
        } else {
            buffer.append(contentsOf: chunk)
        }
        return true
    }

    /// The next record, or nil at the end. An unterminated quote at the end of the input is an error.
    public func next() throws -> CSVRecord? {
        while true {
            if position >= buffer.count, !(try refill()) { return nil }
            if let (fields, consumed, lines) = try parseRecord(atEnd: finished) {
                let record = CSVRecord(fields: fields, line: line)
                position += consumed
                bytesRead += consumed
                line += lines
                return record
            }
            // The record runs past the buffer: read more, or parse what is left at the end.
            if !(try refill()) {
                guard let (fields, consumed, lines) = try parseRecord(atEnd: true) else { return nil }
                let record = CSVRecord(fields: fields, line: line)
                position += consumed
                bytesRead += consumed
                line += lines
                return record
            }
        }
    }

    /// Parses one record from `position`; nil when it is not complete in the buffer (unless `atEnd`).
    private func parseRecord(atEnd: Bool) throws -> (fields: [String], consumed: Int, lines: Int)? {
        try buffer.withUnsafeBufferPointer { bytes -> ([String], Int, Int)? in
            let end = bytes.count
            var index = position
            var fields: [String] = []
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
                    fields.append(String(decoding: field, as: UTF8.self))
                } else {
                    let start = index
                    while index < end {
                        let byte = bytes[index]
                        if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
                        index += 1
                    }
                    if index >= end && !atEnd { return nil }
                    fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                }
                // After a field: a comma, a line end, or the end.
                if index >= end {
                    if !atEnd { return nil }
                    return (fields, index - position, lines)
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
                    return (fields, index - position, lines)
                }
                if byte == UInt8(ascii: "\n") {
                    return (fields, index + 1 - position, lines)
                }
                throw VigilError.invalid("csv", .format, "line \(line): text after a closing quote")
            }
        }
    }
}

/// Writing CSV fields the way the reader reads them back.
public enum CSV {
    public static func escape(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func line(_ fields: [String]) -> String { fields.map(escape).joined(separator: ",") + "\n" }
}
