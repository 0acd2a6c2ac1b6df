import Yams

/// The files' top-level sections merged by key: each `server.*`, `database.*`,
/// `auth.*` setting and each collection, collection policy and collection hooks
/// may come from any file, but from one file only.
package struct ConfigSections {

    package struct Entry {
        package let name: String
        package let value: ConfigNode
        package let keyLine: Int?
    }

    private(set) var entries: [String: [Entry]] = [:]

    package subscript(section: String) -> [Entry] { entries[section] ?? [] }

    /// `names`: the top-level keys a file may have.
    package static func merge(_ sources: [ConfigSource], names: [String], problems: ProblemList) -> ConfigSections {
        var sections = ConfigSections()
        var origins: [String: (file: String, line: Int?)] = [:]
        for source in sources {
            guard let root = compose(source, problems: problems) else { continue }
            let file = ConfigNode(node: root, file: source.file, key: "", problems: problems)
            guard let sectionEntries = file.entries(allowed: names) else { continue }
            for section in sectionEntries {
                guard !section.value.isNull else { continue }  // `hooks:` with nothing under it
                guard let settings = section.value.entries() else { continue }
                for setting in settings {
                    let key = section.name + "." + setting.name
                    if let first = origins[key] {
                        let place = first.file + (first.line.map { ":\($0)" } ?? "")
                        setting.value.report("defined in both \(place) and \(source.file)", line: setting.keyLine)
                        continue
                    }
                    origins[key] = (source.file, setting.keyLine)
                    sections.entries[section.name, default: []].append(Entry(name: setting.name, value: setting.value, keyLine: setting.keyLine))
                }
            }
        }
        return sections
    }

    /// The file's root node; `nil` for an empty file or a syntax error (reported).
    private static func compose(_ source: ConfigSource, problems: ProblemList) -> Node? {
        do {
            return try Yams.compose(yaml: source.text)
        } catch let error as YamlError {
            let (line, message) = describe(error)
            problems.add(file: source.file, line: line, key: "", message)
        } catch {
            problems.add(file: source.file, line: nil, key: "", "invalid YAML: \(error)")
        }
        return nil
    }

    private static func describe(_ error: YamlError) -> (Int?, String) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let prefix = context.map { $0.text + ": " } ?? ""
            return (mark.line, "invalid YAML: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return (context.mark.line, "invalid YAML: key defined twice: \(duplicates.joined(separator: ", "))")
        case .reader(let problem, _, _, _):
            return (nil, "invalid YAML: \(problem)")
        default:
            return (nil, "invalid YAML: \(error)")
        }
    }
}
