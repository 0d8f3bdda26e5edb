import Foundation

/// Expands `check`'s arguments into messages, in order: files, folders (their files in name order) and
/// mbox files (split at "From " lines), `-` for standard input.
enum MessageSource {
    static func messages(from arguments: [String], unreadable: inout Int) -> [(name: String, data: Data)] {
        var result: [(String, Data)] = []
        for argument in arguments {
            if argument == "-" {
                result += split(name: "-", FileHandle.standardInput.readDataToEndOfFile())
                continue
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []).sorted()
                for name in names where !name.hasPrefix(".") {
                    let path = (argument as NSString).appendingPathComponent(name)
                    if let data = FileManager.default.contents(atPath: path) { result += split(name: path, data) }
                }
                continue
            }
            guard let data = FileManager.default.contents(atPath: argument) else {
                FileHandle.standardError.write(Data("giftcard-milter: \(argument): cannot read\n".utf8))
                unreadable += 1
                continue
            }
            result += split(name: argument, data)
        }
        return result
    }

    /// An mbox (starting with "From ") becomes one message per "From " line, named `FILE#N`.
    static func split(name: String, _ data: Data) -> [(String, Data)] {
        let bytes = [UInt8](data)
        guard bytes.starts(with: Array("From ".utf8)) else { return [(name, data)] }
        var starts: [Int] = [0]
        var index = 0
        while let newline = bytes[index...].firstIndex(of: 0x0A) {
            index = newline + 1
            if bytes[index...].starts(with: Array("From ".utf8)) { starts.append(index) }
        }
        return starts.enumerated().map { number, start in
            let end = number + 1 < starts.count ? starts[number + 1] : bytes.count
            return ("\(name)#\(number + 1)", Data(bytes[start..<end]))
        }
    }
}
