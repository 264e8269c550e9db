import Foundation
import Kernel
#if canImport(Glibc)
    import Glibc
#endif

// Coverage-guided fuzz targets (libFuzzer) for the parsers that read every byte a user sends:
// JSON bodies, CSV imports, the Schema validator, query strings, and the small text forms (dates,
// instants, amounts, region codes, cursors, If-Match). Each target checks more than "no crash":
// what a parser accepts must survive a round trip, and nothing may take unbounded time.
//
//   FUZZ=1 swift build --product VigilFuzz                  instrumented (Tools/fuzz/run.sh does this)
//   FUZZ_TARGET=json .build/debug/VigilFuzz corpus/ -max_total_time=60
// Without FUZZ=1 the same program replays the files it is given: the committed corpus is a
// regression test of every input that ever mattered.

typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@inline(__always)
func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// A failed property: a crash libFuzzer records, with the input that caused it.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { eprint("property failed: \(message())"); abort() }
}

func eprint(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

let targets: [(name: String, run: FuzzCallback)] = [
    (
        "json",
        { data, size in
            FuzzTargets.json(bytes(data, size)); return 0
        }
    ),
    (
        "csv",
        { data, size in
            FuzzTargets.csv(bytes(data, size)); return 0
        }
    ),
    (
        "schema",
        { data, size in
            FuzzTargets.schema(bytes(data, size)); return 0
        }
    ),
    (
        "query",
        { data, size in
            FuzzTargets.query(bytes(data, size)); return 0
        }
    ),
    (
        "text",
        { data, size in
            FuzzTargets.text(bytes(data, size)); return 0
        }
    ),
]

// libFuzzer's own main() (linked whole-archive) needs this symbol; ours calls the chosen target.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    targets[0].run(data, size)
}

#if FUZZING
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: FuzzCallback
    ) -> CInt
#endif

@main
struct VigilFuzz {
    static func main() {
        let wanted = getenv("FUZZ_TARGET").map { String(cString: $0) } ?? ""
        guard let target = targets.first(where: { $0.name == wanted }) else {
            eprint("set FUZZ_TARGET to one of: \(targets.map(\.name).joined(separator: " "))")
            exit(2)
        }
        #if FUZZING
            // Swift's runtime backtracer takes the trap signals before libFuzzer would: no crash file,
            // and a helper process that can hold the output open. Run once more without it.
            if getenv("SWIFT_BACKTRACE") == nil {
                setenv("SWIFT_BACKTRACE", "enable=no", 1)
                execv("/proc/self/exe", CommandLine.unsafeArgv)
                eprint("warning: re-exec failed; set SWIFT_BACKTRACE=enable=no yourself")
            }
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(LLVMFuzzerRunDriver(&argc, &argv, target.run))
        #else
            var replayed = 0
            for path in CommandLine.arguments.dropFirst() where !path.hasPrefix("-") {
                var isDirectory: ObjCBool = false
                let files =
                    FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
                    ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 } : [path]
                for file in files {
                    guard let data = FileManager.default.contents(atPath: file) else { eprint("cannot read \(file)"); exit(1) }
                    _ = [UInt8](data).withUnsafeBufferPointer { target.run($0.baseAddress, $0.count) }
                    replayed += 1
                }
            }
            eprint("replayed \(replayed) input(s) through \(target.name)")
        #endif
    }
}
