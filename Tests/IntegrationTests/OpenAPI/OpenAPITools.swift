import Foundation
import PMTestKit
import PMTestSupport

/// The Python tools that judge OpenAPI documents, from the package's `.venv` (scripts/setup
/// installs them): openapi-spec-validator, and jsonschema (one of its dependencies) for bodies.
/// A missing tool is an error, never a skipped test.
enum OpenAPITools {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// `<package root>/.venv/bin/<name>`.
    static func tool(_ name: String) throws -> String {
        let path = RepositoryFiles.root + "/.venv/bin/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Missing(description: "\(path) is missing: run scripts/setup")
        }
        return path
    }

    /// openapi-spec-validator's verdict on `document` (JSON text): status 0 and `OK` when valid.
    static func validate(_ document: String) async throws -> ChildProcess.Output {
        let directory = try TemporaryDirectory(["openapi.json": document])
        defer { directory.remove() }
        return try await ChildProcess.run(try tool("openapi-spec-validator"), [directory.file("openapi.json")])
    }

    /// Checks each of `instances` (JSON texts) against the schema at `pointer` in `document`,
    /// with JSON Schema 2020-12 and the document's `$ref`s resolved: `nil` for a valid one, else
    /// the first error's message.
    static func check(_ instances: [String], at pointer: [String], in document: String) async throws -> [String?] {
        let escaped = pointer.map { $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
        let directory = try TemporaryDirectory([
            "openapi.json": document, "instances.ndjson": instances.joined(separator: "\n") + "\n", "check.py": checkScript,
        ])
        defer { directory.remove() }
        let output = try await ChildProcess.run(try tool("python"), [
            directory.file("check.py"), directory.file("openapi.json"), "/" + escaped.joined(separator: "/"),
            directory.file("instances.ndjson"),
        ])
        guard output.status == 0, output.stdoutLines.count == instances.count else {
            throw Missing(description: "the jsonschema check failed (status \(output.status)): \(output.stderr)")
        }
        return output.stdoutLines.map { $0 == "null" ? nil : $0 }
    }

    private static let checkScript = """
        import json, sys
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        document = json.load(open(sys.argv[1]))
        registry = Registry().with_resource(
            "urn:openapi", Resource.from_contents(document, default_specification=DRAFT202012))
        validator = Draft202012Validator({"$ref": "urn:openapi#" + sys.argv[2]}, registry=registry)
        for line in open(sys.argv[3]):
            error = next(iter(validator.iter_errors(json.loads(line))), None)
            print("null" if error is None else json.dumps(error.message))

        """
}
