import Foundation
@testable import PermissionMongo
import PMTestKit
import PMTestSupport
import Testing
import Yams

/// What can be checked of `docker/` without a container engine (docker/README.md): the
/// compose file's shape, the runtime image's packages against the libraries the binary
/// loads, and the entrypoint's flags against the binary.
@Suite("container files: docker/Dockerfile and docker/compose.yml")
struct ContainerFilesTests {
    static let docker = RepositoryFiles.root + "/docker"

    @Test func composeRunsAThreeMemberReplicaSetTheGatewayAndAReceiver() throws {
        let text = try String(contentsOfFile: Self.docker + "/compose.yml", encoding: .utf8)
        let compose = try #require(try Yams.load(yaml: text) as? [String: Any])
        let services = try #require(compose["services"] as? [String: Any])
        #expect(Set(services.keys) == ["mongo1", "mongo2", "mongo3", "mongo-init", "hook-receiver", "gateway"])
        for member in ["mongo1", "mongo2", "mongo3"] {
            let service = try #require(services[member] as? [String: Any], "\(member)")
            let command = try #require(service["command"] as? [String], "\(member): command")
            #expect(command.starts(with: ["mongod", "--replSet", "rs0"]), "\(member): \(command)")
        }
        let initiation = try #require((services["mongo-init"] as? [String: Any])?["entrypoint"] as? [String])
        for member in ["mongo1", "mongo2", "mongo3"] {
            #expect(initiation.joined(separator: " ").contains(#"host: "\#(member):27017""#), "\(member) is not initiated")
        }

        let gateway = try #require(services["gateway"] as? [String: Any])
        let build = try #require(gateway["build"] as? [String: Any])
        #expect(build["dockerfile"] as? String == "docker/Dockerfile")
        let environment = try #require(gateway["environment"] as? [String: Any])
        let uri = try #require(environment["PM_MONGODB_URI"] as? String)
        #expect(uri.hasPrefix("mongodb://mongo1:27017,mongo2:27017,mongo3:27017/") && uri.contains("replicaSet=rs0"), "\(uri)")

        // Every mounted file exists, and together they are a configuration without problems.
        let mounts = try #require(gateway["volumes"] as? [String])
        let config = try TemporaryDirectory([:])
        defer { config.remove() }
        for mount in mounts {
            let parts = mount.split(separator: ":").map(String.init)
            let source = URL(fileURLWithPath: Self.docker).appendingPathComponent(parts[0]).standardized.path
            #expect(parts[1].hasPrefix("/etc/permission-mongo/"), "\(mount)")
            #expect(FileManager.default.fileExists(atPath: source), "\(mount): \(source) does not exist")
            try FileManager.default.copyItem(
                atPath: source, toPath: config.path + "/" + URL(fileURLWithPath: parts[1]).lastPathComponent)
        }
        let loaded = try ConfigLoader.load(directory: config.path, environment: environment.compactMapValues { $0 as? String })
        #expect(loaded.hooks["products"] != nil, "the receiver's hooks are configured")
        #expect(loaded.database.uri == uri)
    }

    @Test func theRuntimeImageInstallsExactlyThePackagesOfTheLibrariesTheBinaryLoads() async throws {
        let listed = try Self.runtimePackages()
        let tools: Set<String> = ["ca-certificates", "curl"]  // TLS roots; the health check
        let binary = try ClientBinary.path()

        // Direct dependencies (`NEEDED`), the Swift runtime's own excepted: linked statically.
        let elf = try await ChildProcess.run("/usr/bin/readelf", ["-d", binary])
        #expect(elf.status == 0, "\(elf.stderr)")
        let needed = elf.stdoutLines.compactMap { line -> String? in
            guard line.contains("(NEEDED)"), let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]") else { return nil }
            return String(line[line.index(after: open)..<close])
        }
        #expect(needed.contains("libmongoc-1.0.so.0") && needed.contains("libcurl.so.4"), "\(needed)")
        let loaded = try await Self.loadedLibraries(binary)
        var direct: Set<String> = []
        for library in needed where !Self.isSwiftRuntime(library) {
            let path = try #require(loaded[library], "\(library) is not among what ldd shows")
            direct.insert(try await Self.package(owning: path))
        }
        #expect(direct == listed.subtracting(tools), "the runtime stage installs \(listed.sorted()); the binary needs \(direct.sorted())")

        // Everything ldd shows comes with them.
        let closure = try await Self.dependencyClosure(of: listed.subtracting(tools))
        for (library, path) in loaded where !Self.isSwiftRuntime(library) {
            let owner = try await Self.package(owning: path)
            #expect(closure.contains(owner), "\(library) (\(owner)) does not come with \(listed.sorted())")
        }
    }

    @Test func theEntrypointsSubcommandAndFlagsExist() async throws {
        let dockerfile = try String(contentsOfFile: Self.docker + "/Dockerfile", encoding: .utf8)
        let entrypoint = try Self.jsonArray(after: "ENTRYPOINT", in: dockerfile)
        let command = try Self.jsonArray(after: "CMD [\"--", in: dockerfile, keepingPrefix: "CMD")
        #expect(entrypoint == ["permission-mongo", "serve"])
        let help = try await ClientBinary.run([entrypoint[1], "--help"])
        #expect(help.status == 0, "\(help.stderr)")
        let flags = command.filter { $0.hasPrefix("--") }
        #expect(flags == ["--config", "--log-level"])
        for flag in flags {
            #expect(help.stdout.contains(flag + " "), "`serve` has no \(flag): \(help.stdout)")
        }
        #expect(dockerfile.contains("ENV PM_LISTEN=0.0.0.0:8080"))
        #expect(dockerfile.contains("http://127.0.0.1:8080/readyz"))
    }

    // MARK: - Reading the Dockerfile and the machine's package records

    /// The packages of the runtime stage's `apt-get install` (after `# runtime-libraries:`).
    static func runtimePackages() throws -> Set<String> {
        let dockerfile = try String(contentsOfFile: docker + "/Dockerfile", encoding: .utf8)
        let stage = try #require(dockerfile.range(of: "# runtime-libraries:"))
        var packages: Set<String> = []
        var inInstall = false
        for line in dockerfile[stage.upperBound...].split(separator: "\n") {
            let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            if words.contains("install") { inInstall = true; continue }
            guard inInstall else { continue }
            if words.first == "&&" { break }
            packages.formUnion(words.filter { $0 != "\\" && !$0.hasPrefix("-") })
        }
        return packages
    }

    static func jsonArray(after keyword: String, in text: String, keepingPrefix: String? = nil) throws -> [String] {
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(keepingPrefix ?? keyword) && $0.contains("[") })
        let json = line[line.firstIndex(of: "[")!...]
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String])
    }

    static func isSwiftRuntime(_ library: String) -> Bool {
        library.hasPrefix("libswift") || library.hasPrefix("libFoundation") || library.hasPrefix("lib_Foundation")
            || library == "libdispatch.so" || library == "libBlocksRuntime.so"
    }

    /// `ldd`: library name → resolved path.
    static func loadedLibraries(_ binary: String) async throws -> [String: String] {
        let ldd = try await ChildProcess.run("/usr/bin/ldd", [binary])
        #expect(ldd.status == 0, "\(ldd.stderr)")
        var libraries: [String: String] = [:]
        for line in ldd.stdoutLines {
            let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            if words.count >= 3, words[1] == "=>", words[2].hasPrefix("/") {
                libraries[words[0]] = words[2]
            } else if let path = words.first, path.hasPrefix("/") {  // the dynamic loader
                libraries[URL(fileURLWithPath: path).lastPathComponent] = path
            }
        }
        return libraries
    }

    /// The Debian package that installed `path` (recorded under `/lib` or `/usr/lib`).
    static func package(owning path: String) async throws -> String {
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        for candidate in [real, real.replacingOccurrences(of: "/usr/lib/", with: "/lib/"), path] {
            let search = try await ChildProcess.run("/usr/bin/dpkg-query", ["-S", candidate])
            if search.status == 0, let owner = search.stdoutLines.first?.split(separator: ":").first {
                return String(owner)
            }
        }
        Issue.record("no package owns \(path)")
        return path
    }

    /// `packages` and everything they depend on, as installed here.
    static func dependencyClosure(of packages: Set<String>) async throws -> Set<String> {
        var closure: Set<String> = []
        var pending = Array(packages)
        while let package = pending.popLast() {
            guard closure.insert(package).inserted else { continue }
            let record = try await ChildProcess.run("/usr/bin/dpkg-query", ["-W", "-f=${Depends}, ${Pre-Depends}", package])
            guard record.status == 0 else { continue }  // an alternative that is not installed
            for clause in record.stdout.split(separator: ",") {
                for alternative in clause.split(separator: "|") {
                    guard let name = alternative.split(whereSeparator: \.isWhitespace).first else { continue }
                    pending.append(String(name.split(separator: ":")[0]))
                }
            }
        }
        return closure
    }
}
