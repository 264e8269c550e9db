import Foundation
import IncidentOps
import Kernel
import Testing

@testable import VigilConsole

/// The console's resources as shipped: every language has every text, every text a template
/// names exists, every template parses (or the console would not build).
@Suite("Console resources")
struct ConsoleResourcesTests {
    @Test("the three languages hold the same texts, and templates name only texts that exist")
    func catalogsComplete() throws {
        let console = try ConsoleServer(registry: try DomainRegistry([IncidentOpsModule.self]))
        #expect(console.missingTranslations == [])
        #expect(console.unknownTextKeys == [])
    }

    @Test("a template's text keys are found in variables and sections")
    func textKeysFound() {
        let keys = ConsoleServer.textKeys(in: "<h1>{{_t.case-title}}</h1>{{#_t.cases-none}}x{{/_t.cases-none}} {{ _t.field-status }}")
        #expect(keys == ["case-title", "cases-none", "field-status"])
    }

    @Test("a template names a text that no catalog has: it is reported")
    func unknownKeyReported() throws {
        let folder = ConsoleResourceFolder(
            owner: .platform, templates: ["page": "{{_t.present}} {{_t.absent}}"],
            catalogs: ["en": ["present": "here"], "pt-BR": ["present": "aqui"], "zh-CN": ["present": "这里", "extra": "多"]])
        let console = try ConsoleServer(folders: [folder])
        #expect(console.unknownTextKeys == ["vigil page: absent"])
        #expect(console.missingTranslations == ["vigil en: extra", "vigil pt-BR: extra"])
    }
}
