import Foundation
import Kernel
import VigilIdentity

/// The platform's users, as domains may see them.
struct UserPeopleDirectory: PeopleDirectory {
    let users: UserDirectory

    func person(email: String) async throws -> Person? {
        try await users.find(email: email).map(Self.person)
    }

    func person(id: UUID) async throws -> Person? {
        try await users.find(id: id).map(Self.person)
    }

    static func person(_ user: User) -> Person {
        Person(id: user.id, email: user.email, name: user.name, active: user.active, roles: Set(user.roles), regions: user.regions)
    }
}
