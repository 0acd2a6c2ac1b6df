import PMBSON
import PMTestKit
import Testing
@testable import PMSchema

/// `multiple_of`, the rule that lives in one file (`Rules/MultipleOf.swift`): its YAML, both
/// paths, and its description. Updates, filters and CSV imports through the gateway are in
/// the integration tests (`MultipleOfGatewayTests`).
@Suite struct MultipleOfTests {
    private let prefix = "collections.things.fields."

    @Test func readFromYAMLForNumbersOnly() {
        #expect(testSchemaProblems("""
            a: { type: number, multiple_of: 0.01 }
            b: { type: integer, multiple_of: 5 }
            """) == [])
        #expect(testSchemaProblems("""
            a: { type: string, multiple_of: 2 }
            b: { type: number, multiple_of: 0 }
            c: { type: number, multiple_of: -0.5 }
            d: { type: integer, multiple_of: five }
            e: { type: number, multiple_of: 3, default: 4 }
            f: { type: array, items: { type: integer, multiple_of: 10 }, default: [10, 25] }
            """) == [
                prefix + "a.multiple_of: multiple_of does not apply to type string",
                prefix + "b.multiple_of: must be more than 0",
                prefix + "c.multiple_of: must be more than 0",
                prefix + "d.multiple_of: must be a number",
                prefix + "e.default: e must be a multiple of 3",
                prefix + "f.default: f[1] must be a multiple of 10",
            ])
    }

    @Test func decimalMultiplesOfDecimalSteps() throws {
        let paths = try BothPaths("price: { type: number, multiple_of: 0.01 }\nstep: { type: number, multiple_of: 0.1 }")
        for good in ["19.99", "0", "-0.07", "1e3", "123456789.12", "0.3"] {
            #expect(try paths.message(#"{"price":\#(good)}"#) == nil, "\(good)")
        }
        #expect(try paths.message(#"{"step":0.3}"#) == nil)
        #expect(try paths.message(#"{"price":19.999}"#) == "price must be a multiple of 0.01")
        #expect(try paths.message(#"{"price":1e-3}"#) == "price must be a multiple of 0.01")
        #expect(try paths.message(#"{"step":0.25}"#) == "step must be a multiple of 0.1")
    }

    @Test func integersAndLargeValues() throws {
        let paths = try BothPaths("""
            n: { type: integer, multiple_of: 5 }
            big: { type: number, multiple_of: 1000000000000000000 }
            half: { type: integer, multiple_of: 0.5 }
            """)
        #expect(try paths.message(#"{"n":-15}"#) == nil)
        #expect(try paths.message(#"{"n":12}"#) == "n must be a multiple of 5")
        #expect(try paths.message(#"{"n":9223372036854775805}"#) == nil)
        #expect(try paths.message(#"{"n":9223372036854775807}"#) == "n must be a multiple of 5")
        #expect(try paths.message(#"{"big":4000000000000000000}"#) == nil)
        #expect(try paths.message(#"{"big":1e300}"#) == nil)
        #expect(try paths.message(#"{"big":1500000000000000000}"#) == "big must be a multiple of 1000000000000000000")
        #expect(try paths.message(#"{"half":7}"#) == nil)
        // Integral doubles of an integer field are converted first, then checked.
        #expect(try paths.message(#"{"n":20.0}"#) == nil)
    }

    @Test func theBytePathAgreesWithTheModelPath() throws {
        let paths = try BothPaths("""
            price: { type: number, multiple_of: 0.05, min: 0 }
            qty: { type: integer, multiple_of: 6 }
            sizes: { type: array, items: { type: number, multiple_of: 0.5 } }
            """)
        for json in [
            #"{"price":1.15,"qty":12,"sizes":[1,1.5,2.5]}"#, #"{"price":0}"#, #"{"qty":-6}"#, #"{"sizes":[]}"#,
        ] {
            let bytes = try #require(try paths.bytes(json), "the byte path must accept \(json)")
            #expect(try paths.model(json) == .success(bytes), "\(json)")
        }
        for json in [#"{"price":1.17}"#, #"{"qty":13}"#, #"{"sizes":[1,1.25]}"#, #"{"price":-0.05}"#] {
            #expect(try paths.bytes(json) == nil, "the byte path must leave \(json) to the model path")
            #expect(try paths.message(json) != nil)
        }
    }

    @Test func describedAsConfigured() throws {
        let schema = try compileTestSchema("price: { type: number, min: 0, multiple_of: 0.01 }\nqty: { type: integer, multiple_of: 5 }")
        #expect(schema.root.describe().document("fields") == [
            "price": ["type": "number", "min": .int64(0), "multiple_of": 0.01],
            "qty": ["type": "integer", "multiple_of": .int64(5)],
        ])
    }

    @Test func decimalNumbersAreTheShortestSpelling() {
        #expect(DecimalNumber(19.99) == DecimalNumber(significand: 1999, exponent: -2))
        #expect(DecimalNumber(1e-5) == DecimalNumber(significand: 1, exponent: -5))
        #expect(DecimalNumber(100.0) == DecimalNumber(significand: 1000, exponent: -1))
        #expect(DecimalNumber(.nan) == nil)
        #expect(DecimalNumber(.infinity) == nil)
    }
}

extension BSONDocument {
    func document(_ key: String) -> BSONDocument? {
        if case .document(let value)? = self[key] { value } else { nil }
    }
}
