import Foundation

/// The benchmark's documents: the same shape as scripts/bench sends (Benchmarks/load/documents.py),
/// 13 client fields with nested objects, an array and a date.
public enum BenchmarkDocuments {
    public static func json(_ i: Int) -> String {
        """
        {"name":"Widget \(String(format: "%05d", i))","sku":"WID-\(i)","price":\(Double(i % 500) + 0.99),"qty":\(i % 1000),\
        "category":"\(["widgets", "gadgets", "gizmos"][i % 3])","tags":["blue","steel","sale"],\
        "dims":{"w":10.5,"h":2.25,"d":4},"supplier":{"name":"Acme Supplies","country":"DE"},\
        "released":"2024-03-01T12:00:00Z","rating":4.5,"active":true,"group":\(i % 100),\
        "notes":"Standard widget, ships in two days. Keep dry."}
        """
    }

    /// A `POST /{collection}/batch` body of `count` documents.
    public static func body(documents count: Int) -> [UInt8] {
        Array("{\"documents\":[\((0..<count).map(json).joined(separator: ","))]}".utf8)
    }
}
