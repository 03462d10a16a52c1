/// A chart's time axis: timestamps as data tools write them, read as seconds since 1970 (UTC), and ticks at
/// round times (whole minutes, hours, days, months) labelled for the span they cover.
public enum TimeAxis {
    /// Seconds since 1970-01-01 UTC of `YYYY-MM-DD`, optionally followed by ` HH:MM[:SS[.fraction]]` (or `T…`)
    /// and `Z` or `±HH:MM` (UTC when absent), or of Unix time in seconds (10 digits, fraction allowed) or
    /// milliseconds (13 digits); nil for anything else.
    public static func seconds(_ text: String) -> Double? {
        let bytes = Array(text.utf8.drop { $0 == UInt8(ascii: " ") }.reversed().drop { $0 == UInt8(ascii: " ") }.reversed())
        if let unix = unixTime(bytes) { return unix }
        var reader = Reader(bytes: bytes)
        guard let year = reader.digits(4), reader.skip("-"), let month = reader.digits(2), reader.skip("-"),
            let day = reader.digits(2), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var seconds = Double(daysFromCivil(year: year, month: month, day: day)) * 86_400
        if reader.atEnd { return seconds }
        guard reader.skip(" ") || reader.skip("T"), let hour = reader.digits(2), reader.skip(":"), let minute = reader.digits(2),
            hour < 24, minute < 60
        else { return nil }
        seconds += Double(hour * 3600 + minute * 60)
        if reader.skip(":") {
            guard let second = reader.digits(2), second < 61 else { return nil }
            seconds += Double(second)
            if reader.skip(".") {
                var scale = 0.1, any = false
                while let digit = reader.digit() {
                    seconds += Double(digit) * scale
                    scale /= 10
                    any = true
                }
                guard any else { return nil }
            }
        }
        if reader.atEnd || (reader.skip("Z") && reader.atEnd) { return seconds }
        let sign: Double
        if reader.skip("+") { sign = 1 } else if reader.skip("-") { sign = -1 } else { return nil }
        guard let offsetHours = reader.digits(2) else { return nil }
        _ = reader.skip(":")  // +05:30 or +0530
        guard let offsetMinutes = reader.digits(2), reader.atEnd, offsetHours < 24, offsetMinutes < 60 else { return nil }
        return seconds - sign * Double(offsetHours * 3600 + offsetMinutes * 60)
    }

    /// Every timestamp's seconds when all of them read and never go back in time; nil otherwise (rows are then
    /// numbered instead).
    public static func times(_ timestamps: [String]) -> [Double]? {
        var times = [Double]()
        times.reserveCapacity(timestamps.count)
        for text in timestamps {
            guard let time = seconds(text), time >= (times.last ?? -.infinity) else { return nil }
            times.append(time)
        }
        return times.isEmpty ? nil : times
    }

    /// About `target` ticks at round times between `start` and `end` (seconds), each with its label: dates for
    /// steps of a day or more (`2014-04`, months), times of day below (`08:30`, seconds when steps are), with the
    /// date added where it changes (the second element).
    public static func ticks(from start: Double, to end: Double, target: Int = 7) -> [(time: Double, label: String, date: String?)] {
        guard end > start else { return [(start, dateLabel(start), nil)] }
        let span = end - start
        let fixedSteps: [Double] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800]
        if let step = fixedSteps.first(where: { span / $0 <= Double(target) }) {
            var ticks = [(time: Double, label: String, date: String?)]()
            var time = (start / step).rounded(.up) * step
            var lastDay: Int?
            while time <= end {
                let day = Int((time / 86_400).rounded(.down))
                if step >= 86_400 {
                    ticks.append((time, dateLabel(time), nil))
                } else {
                    ticks.append((time, clockLabel(time, seconds: step < 60), day != lastDay ? dateLabel(time) : nil))
                }
                lastDay = day
                time += step
            }
            return ticks
        }
        // Calendar months: 1, 2, 3, 6, then whole years.
        let monthSteps = [1, 2, 3, 6, 12, 24, 60, 120, 600]
        let months = span / (30.44 * 86_400)
        let step = monthSteps.first { months / Double($0) <= Double(target) } ?? 1200
        var (year, month, _) = civil(days: Int((start / 86_400).rounded(.down)))
        var index = year * 12 + (month - 1) + 1  // the first month start after `start`
        index = (index + step - 1) / step * step
        var ticks = [(time: Double, label: String, date: String?)]()
        while true {
            year = index / 12
            month = index % 12 + 1
            let time = Double(daysFromCivil(year: year, month: month, day: 1)) * 86_400
            guard time <= end else { break }
            ticks.append((time, step >= 12 ? String(year) : "\(year)-\(twoDigits(month))", nil))
            index += step
        }
        return ticks
    }

    // MARK: - Calendar (proleptic Gregorian, UTC)

    /// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day number (the inverse of `daysFromCivil`).
    static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func dateLabel(_ time: Double) -> String {
        let (year, month, day) = civil(days: Int((time / 86_400).rounded(.down)))
        return "\(year)-\(twoDigits(month))-\(twoDigits(day))"
    }

    private static func clockLabel(_ time: Double, seconds: Bool) -> String {
        let second = Int((time - (time / 86_400).rounded(.down) * 86_400).rounded())
        let clock = "\(twoDigits(second / 3600)):\(twoDigits(second / 60 % 60))"
        return seconds ? clock + ":\(twoDigits(second % 60))" : clock
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    private static func unixTime(_ bytes: [UInt8]) -> Double? {
        let integer = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard integer.count == 10 || integer.count == 13, let whole = Double(String(decoding: integer, as: UTF8.self)) else { return nil }
        let rest = bytes.dropFirst(integer.count)
        if rest.isEmpty { return integer.count == 13 ? whole / 1000 : whole }
        guard integer.count == 10, rest.first == UInt8(ascii: "."), let value = Double(String(decoding: bytes, as: UTF8.self)) else { return nil }
        return value
    }

    /// Reads a timestamp's fields left to right.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }

        mutating func digit() -> Int? {
            guard index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else { return nil }
            index += 1
            return Int(bytes[index - 1] - UInt8(ascii: "0"))
        }

        mutating func digits(_ count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                guard let digit = digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }
    }
}
