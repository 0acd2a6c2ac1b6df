import Foundation
import PMBSON

/// Reads `--operations`: inline JSON, `@file` or `-` (standard input), holding either an
/// array of operations or a whole body `{"operations":[...],"options":{...}}`.
public enum OperationsInput {
    /// The request in `argument`, with `overrides` (the command's flags) applied to its options.
    public static func request(
        from argument: String, overrides: BatchOptions = BatchOptions(),
        readStandardInput: () -> [UInt8] = { Array(FileHandle.standardInput.readDataToEndOfFile()) }
    ) throws(ClientError) -> BatchRequest {
        let (bytes, origin) = try text(of: argument, readStandardInput: readStandardInput)
        var request = try parse(bytes, origin: origin)
        request.options = overrides.applied(to: request.options)
        return request
    }

    /// The JSON text the argument stands for, and how to name it in messages.
    static func text(of argument: String, readStandardInput: () -> [UInt8]) throws(ClientError) -> ([UInt8], String) {
        if argument == "-" { return (readStandardInput(), "--operations (standard input)") }
        guard argument.hasPrefix("@") else { return (Array(argument.utf8), "--operations") }
        let path = String(argument.dropFirst())
        guard !path.isEmpty else { throw .usage("--operations @FILE: the file name is missing after @") }
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw .input("--operations: the file \(path) \(reason)")
        }
        return (Array(data), "--operations (file \(path))")
    }

    /// Parses operations JSON; `origin` names the input in messages.
    public static func parse(_ bytes: [UInt8], origin: String = "--operations") throws(ClientError) -> BatchRequest {
        let value: BSON
        do {
            value = try JSONReader.parseValue(bytes)
        } catch {
            if error.message == "empty input" { throw .input("\(origin): no JSON given") }
            let position = TextPosition(offset: error.offset, in: bytes)
            throw .input("\(origin): invalid JSON at \(position): \(error.message)")
        }
        switch value {
        case .array(let operations):
            return try checked(BatchRequest(operations: operations), origin: origin)
        case .document(let body):
            guard let operationsValue = body["operations"] else {
                throw .input("\(origin): expected an array of operations or an object with \"operations\"")
            }
            guard case .array(let operations) = operationsValue else {
                throw .input("\(origin): \"operations\" must be an array")
            }
            var options = BSONDocument()
            switch body["options"] {
            case nil, .null?: break
            case .document(let given)?: options = given
            default: throw .input("\(origin): \"options\" must be an object")
            }
            if let unknown = body.keys.first(where: { $0 != "operations" && $0 != "options" }) {
                throw .input("\(origin): unexpected key \"\(unknown)\" (expected \"operations\" and \"options\")")
            }
            return try checked(BatchRequest(operations: operations, options: options), origin: origin)
        default:
            throw .input("\(origin): expected an array of operations or an object with \"operations\"")
        }
    }

    private static func checked(_ request: BatchRequest, origin: String) throws(ClientError) -> BatchRequest {
        guard !request.operations.isEmpty else { throw .input("\(origin): there are no operations") }
        for (index, operation) in request.operations.enumerated() {
            guard case .document(let document) = operation else {
                throw .input("\(origin): operation \(index) is not an object")
            }
            guard document.string("op") != nil else {
                throw .input("\(origin): operation \(index) has no \"op\" (create, update, upsert, delete, get, list, link, unlink)")
            }
        }
        return request
    }
}
