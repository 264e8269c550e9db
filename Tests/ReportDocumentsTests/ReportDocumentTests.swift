import Foundation
import ReportDocuments
import Testing

/// One document, three forms: what a reader opens must never run what a record holds.
@Suite struct ReportDocumentTests {
    private let hostile = ReportDocument(
        title: "<script>alert(1)</script>", subtitle: "\"><img src=x onerror=alert(2)>",
        sections: [
            ReportSection(
                title: "By site", columns: ["site", "total"], rows: [["=HYPERLINK(\"http://x\")", "12"], ["<b>Sé</b>", "nan"], ["huge", "1e308"]],
                chart: .init(title: "Totals <by> site", labelColumn: 0, valueColumn: 1)),
            ReportSection(title: "Empty", columns: ["a"], rows: []),
        ])

    @Test func htmlEscapesEveryValueAndDrawsNoBarForWhatIsNotANumber() {
        let html = hostile.html
        #expect(!html.contains("<script>") && !html.contains("<img") && !html.contains("<b>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
        #expect(html.contains("Totals &lt;by&gt; site"))
        #expect(html.contains("Nothing to show."))
        // 12 of a maximum of 1e308 is no width; "nan" reads as 0: three bars, none trapping.
        #expect(html.components(separatedBy: "<rect ").count == 4)
    }

    @Test func csvIsOneBlockPerSectionWithFormulaCellsNeutralised() {
        let lines = hostile.csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "By site")
        #expect(lines[1] == "site,total")
        #expect(lines[2].hasPrefix("\"'=HYPERLINK"))
        #expect(lines.contains("Empty"))
        #expect(!lines.contains { $0.hasPrefix("=") || $0.hasPrefix("\"=") })
    }
}
