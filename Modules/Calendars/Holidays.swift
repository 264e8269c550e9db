import Foundation

/// Easter Sunday of the Gregorian calendar, from which Brazil's movable holidays are counted.
public enum Easter {
    /// The anonymous Gregorian algorithm (Meeus/Jones/Butcher), valid for every Gregorian year.
    public static func sunday(year: Int) -> LocalDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDate(year: year, month: month, day: day)!
    }
}

/// A day off and why.
public struct Holiday: Sendable, Hashable, Codable {
    public let date: LocalDate
    public let name: String

    public init(date: LocalDate, name: String) {
        self.date = date
        self.name = name
    }
}

/// Brazil's national holidays for any year, with the days offices close around Easter: Carnival
/// (Monday and Tuesday, 48 and 47 days before Easter), Good Friday and Corpus Christi (60 days
/// after). Carnival and Corpus Christi are optional points nationally but offices keep them; a
/// site adds its state and city holidays on top.
public enum BrazilHolidays {
    public static func of(year: Int) -> [Holiday] {
        func fixed(_ month: Int, _ day: Int, _ name: String) -> Holiday { Holiday(date: LocalDate(year: year, month: month, day: day)!, name: name) }
        let easter = Easter.sunday(year: year)
        var holidays = [
            fixed(1, 1, "Confraternização Universal"),
            Holiday(date: easter.adding(days: -48), name: "Carnaval (segunda-feira)"),
            Holiday(date: easter.adding(days: -47), name: "Carnaval (terça-feira)"),
            Holiday(date: easter.adding(days: -2), name: "Sexta-feira Santa"),
            fixed(4, 21, "Tiradentes"),
            fixed(5, 1, "Dia do Trabalho"),
            Holiday(date: easter.adding(days: 60), name: "Corpus Christi"),
            fixed(9, 7, "Independência do Brasil"),
            fixed(10, 12, "Nossa Senhora Aparecida"),
            fixed(11, 2, "Finados"),
            fixed(11, 15, "Proclamação da República"),
            fixed(12, 25, "Natal"),
        ]
        // Law 14.759/2023 made Zumbi's day a national holiday from 2024.
        if year >= 2024 { holidays.append(fixed(11, 20, "Dia Nacional de Zumbi e da Consciência Negra")) }
        return holidays.sorted { $0.date < $1.date }
    }
}
