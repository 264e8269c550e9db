import Foundation
import Testing
import VigilTesting

/// Every `vigil` command in the guides' shell blocks, run as written and in order through the
/// built program on a new database, must succeed: a guide that drifts from the program fails here
/// instead of failing its reader in the first ten minutes.
@Suite struct DocumentedCommandsTests {
    /// The guides in reading order: later ones use what earlier ones made (users, the site).
    static let guides = ["docs/GETTING-STARTED.md", "docs/INCIDENT-OPS.md", "docs/IT-SERVICE-DESK.md"]

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The `vigil …` commands of a guide's ```sh blocks, continuation lines joined.
    static func commands(in markdown: String) -> [String] {
        var commands: [String] = []
        var inShell = false
        var pending = ""
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inShell = line == "```sh" && !inShell; continue }
            guard inShell else { continue }
            let text = pending + line.trimmingCharacters(in: .whitespaces)
            if text.hasSuffix("\\") { pending = String(text.dropLast()) + " "; continue }
            pending = ""
            if text.hasPrefix("vigil ") { commands.append(text) }
        }
        return commands
    }

    @Test func everyGuideCommandRunsAsWritten() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-docs-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work.appendingPathComponent("bin"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        // `vigil` on the PATH is the program just built; the sample files the guides name are there.
        try FileManager.default.createSymbolicLink(atPath: work.appendingPathComponent("bin/vigil").path, withDestinationPath: VigilBinary.path)
        try FileManager.default.createDirectory(at: work.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("docs/samples"), to: work.appendingPathComponent("docs/samples"))
        // References carry the year they are made in; the guides are written in 2026.
        let year = String(Calendar(identifier: .gregorian).component(.year, from: Date()))
        var ran = 0
        for guide in Self.guides {
            let text = try String(contentsOf: Self.root.appendingPathComponent(guide), encoding: .utf8)
            for command in Self.commands(in: text) {
                let line = command.replacingOccurrences(of: "-2026-0", with: "-\(year)-0")
                let result = try Self.shell(line, in: work)
                #expect(result.status == 0, "\(guide): `\(command)` exited \(result.status)\n\(result.stderr)\(result.stdout)")
                ran += 1
            }
        }
        #expect(ran >= 25, "the guides' command blocks were not found (ran \(ran))")
    }

    /// One line through bash, as a reader would paste it, with a password on standard input for
    /// `--password-stdin` and bcrypt made cheap for the test.
    static func shell(_ line: String, in directory: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", line]
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VIGIL_") }
        environment["PATH"] = directory.appendingPathComponent("bin").path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["VIGIL_DATABASE_URL"] = directory.appendingPathComponent("vigil.sqlite").path
        environment["VIGIL_AUTH_BCRYPT_COST"] = "4"
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data("correct horse battery 42\n".utf8))
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}
