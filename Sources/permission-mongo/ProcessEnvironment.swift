#if canImport(Glibc)
import Glibc
#endif
import Foundation

enum ProcessEnvironment {
    static var all: [String: String] { ProcessInfo.processInfo.environment }
    static func value(_ name: String) -> String? { all[name].flatMap { $0.isEmpty ? nil : $0 } }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
