import PMBSON

enum JSONFuzzing {
    static func run(_ bytes: [UInt8]) -> String? {
        let parsed = Result { try JSONReader.parseDocument(bytes) }
        var transcoded: [UInt8] = []
        let transcoding = Result {
            try bytes.withUnsafeBytes { try JSONReader.transcodeDocument($0, into: &transcoded) }
        }
        switch (parsed, transcoding) {
        case (.success(let document), .success):
            guard transcoded == document.encoded() else { return "the transcoder's BSON differs from the reader's" }
            var written: [UInt8] = []
            JSONWriter.write(document, into: &written)
            guard let again = try? JSONReader.parseDocument(written) else {
                return "the written JSON does not read back: \(String(decoding: written, as: UTF8.self))"
            }
            guard again.encoded() == document.encoded() else {
                return "the written JSON reads back differently: \(String(decoding: written, as: UTF8.self))"
            }
            return nil
        case (.failure(let readerError), .failure(let transcoderError)):
            return "\(readerError)" == "\(transcoderError)" ? nil : "different errors: \(readerError) / \(transcoderError)"
        case (.success, .failure(let error)):
            return "the reader accepts what the transcoder refuses: \(error)"
        case (.failure(let error), .success):
            return "the transcoder accepts what the reader refuses: \(error)"
        }
    }
}
