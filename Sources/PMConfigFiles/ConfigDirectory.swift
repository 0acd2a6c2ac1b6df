import Foundation

/// Finds and reads the `*.yml` / `*.yaml` files of a configuration directory, sorted by name.
package enum ConfigDirectory {
    package static func read(_ directory: String, problems: ProblemList) -> [ConfigSource] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            problems.add(file: directory, line: nil, key: "", "configuration directory not found")
            return []
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            problems.add(file: directory, line: nil, key: "", "configuration directory cannot be read")
            return []
        }
        let yamlNames = names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
        if yamlNames.isEmpty {
            problems.add(file: directory, line: nil, key: "", "no *.yml or *.yaml files in the configuration directory")
        }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return yamlNames.compactMap { name in
            let path = prefix + name
            guard let data = FileManager.default.contents(atPath: path) else {
                problems.add(file: path, line: nil, key: "", "cannot be read")
                return nil
            }
            guard let text = String(validating: data, as: UTF8.self) else {
                problems.add(file: path, line: nil, key: "", "is not valid UTF-8")
                return nil
            }
            return ConfigSource(file: path, text: text)
        }
    }
}
