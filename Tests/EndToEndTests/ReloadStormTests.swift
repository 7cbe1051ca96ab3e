import Foundation
import HTTPTestClient
import PolicyLanguage
import Synchronization
import Testing

/// Thread-safe tallies of the storm.
private final class Tally: Sendable {
    let ok = Atomic<Int>(0)
    let notFound = Atomic<Int>(0)
    let other = Atomic<Int>(0)
    let wrongVerdict = Atomic<Int>(0)
    let swaps = Atomic<Int>(0)
}

@Suite struct ReloadStormTests {
    @Test func decisionsDuringAReloadStormNeverGet404OrAnUnknownVerdict() throws {
        let live = try LiveServer()
        // As `make bench`'s storm: 20 networks, decisions on all of them while each is swapped.
        let networks = Array(1...20)
        let setup = try live.connect()
        for id in networks { #expect(try setup.json("PUT", "/v1/networks/\(id)/policy", constantPolicy("allow", name: "a")).status == 201) }

        let tally = Tally()
        let stop = Atomic<Bool>(false)
        let port = live.port
        let group = DispatchGroup()
        for worker in 0..<4 {
            group.enter()
            Thread {
                defer { group.leave() }
                guard let c = try? TestConnection(port: port) else { tally.other.add(1, ordering: .relaxed); return }
                var i = worker
                while !stop.load(ordering: .relaxed) {
                    let id = networks[i % networks.count]
                    i += 1
                    guard let r = try? c.json("POST", "/v1/networks/\(id)/decisions", #"{"event":"connect","port":443}"#) else {
                        tally.other.add(1, ordering: .relaxed)
                        return
                    }
                    switch r.status {
                    case 200:
                        tally.ok.add(1, ordering: .relaxed)
                        let pair = (r["verdict"]?.stringValue, r["rule"]?.stringValue)
                        if !(pair == ("allow", "a") || pair == ("deny", "d")) { tally.wrongVerdict.add(1, ordering: .relaxed) }
                    case 404: tally.notFound.add(1, ordering: .relaxed)
                    default: tally.other.add(1, ordering: .relaxed)
                    }
                }
            }.start()
        }

        let writer = try live.connect()
        for round in 0..<10 {
            for id in networks {
                let policy = round % 2 == 0 ? constantPolicy("deny", name: "d") : constantPolicy("allow", name: "a")
                let r = try writer.json("PUT", "/v1/networks/\(id)/policy", policy)
                #expect(r.status == 200)
                tally.swaps.add(1, ordering: .relaxed)
            }
            #expect(try writer.json("POST", "/v1/networks/\(networks[round % networks.count])/reload").status == 200)
            if round % 5 == 0 { #expect(try writer.json("POST", "/v1/reload?force=true").status == 200) }
        }
        stop.store(true, ordering: .relaxed)
        group.wait()

        #expect(tally.notFound.load(ordering: .relaxed) == 0)
        #expect(tally.other.load(ordering: .relaxed) == 0)
        #expect(tally.wrongVerdict.load(ordering: .relaxed) == 0)
        #expect(tally.ok.load(ordering: .relaxed) > 100)
        #expect(tally.swaps.load(ordering: .relaxed) == 200)
    }
}
