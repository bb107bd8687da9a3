/// Validation of TOML number literals (decimal integers and floats), keeping their text.
enum TOMLNumber {
    /// Classifies a bare word as an integer or float literal, or throws a syntax error that says
    /// what is wrong (an unquoted string, a date, `inf`).
    static func classify(_ word: String, error: (String) -> ConfigError) throws(ConfigError) -> ConfigValue.Kind {
        var text = Substring(word)
        if text.first == "+" || text.first == "-" { text = text.dropFirst() }
        if text == "inf" || text == "nan" {
            throw error("'\(word)' is not allowed in configuration: numbers must be finite")
        }
        if text.hasPrefix("0x") || text.hasPrefix("0o") || text.hasPrefix("0b") {
            throw error("'\(word)': only decimal integers are supported")
        }
        if text.contains(":") || (text.first?.isNumber == true && text.dropFirst().contains("-") && !text.contains("e") && !text.contains("E")) {
            throw error("'\(word)': dates and times are not supported; write a quoted string")
        }
        guard let first = text.first, first.isASCII, first.isNumber else {
            throw error("invalid value '\(word)' (strings must be quoted: \"\(word)\")")
        }
        // Integer part: `0` or a non-zero digit followed by digits and single underscores.
        let integerEnd = text.firstIndex(where: { $0 == "." || $0 == "e" || $0 == "E" }) ?? text.endIndex
        let integerPart = text[..<integerEnd]
        guard isDigitGroup(integerPart) else { throw error("invalid number '\(word)'") }
        if integerPart.count > 1 && integerPart.first == "0" {
            throw error("invalid number '\(word)': leading zeros are not allowed")
        }
        var rest = text[integerEnd...]
        if rest.isEmpty { return .integer(literal: word) }
        if rest.first == "." {
            rest = rest.dropFirst()
            let fractionEnd = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) ?? rest.endIndex
            guard isDigitGroup(rest[..<fractionEnd]) else {
                throw error("invalid number '\(word)': a decimal point needs digits on both sides")
            }
            rest = rest[fractionEnd...]
        }
        if let marker = rest.first {
            guard marker == "e" || marker == "E" else { throw error("invalid number '\(word)'") }
            var exponent = rest.dropFirst()
            if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
            guard isDigitGroup(exponent) else { throw error("invalid number '\(word)': bad exponent") }
        }
        return .float(literal: word)
    }

    /// Digits with optional single underscores between digits (`1_000`).
    private static func isDigitGroup(_ text: Substring) -> Bool {
        guard let first = text.first, let last = text.last, isDigit(first), isDigit(last) else { return false }
        var previousUnderscore = false
        for character in text {
            if character == "_" {
                if previousUnderscore { return false }
                previousUnderscore = true
            } else if isDigit(character) {
                previousUnderscore = false
            } else {
                return false
            }
        }
        return true
    }

    private static func isDigit(_ character: Character) -> Bool { character >= "0" && character <= "9" }
}
