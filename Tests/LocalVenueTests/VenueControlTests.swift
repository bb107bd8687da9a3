import AsyncHTTPClient
import Foundation
import LocalVenue
import NIOCore
import Testing
import TradingModel
import NIOHTTP1

@Suite("Local venue: hand-run control endpoints")
struct VenueControlTests {
    /// `POST /venue/step` moves the path (what `qt venue` users call); `GET /venue/state` reports it.
    @Test(.timeLimit(.minutes(5))) func stepEndpointAdvancesThePath() async throws {
        try await VenueHarness.run(setUp: false) { venue async throws in
            var request = HTTPClientRequest(url: "\(venue.httpBase)/venue/step?count=2")
            request.method = .POST
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
            let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
            #expect(response.status.code == 200)
            #expect(body.contains(#""applied":2"#))
            #expect(venue.controller.now == VenueHarness.start.advanced(by: .seconds(120)))
            let time = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(venue.httpBase)/fapi/v1/time"), timeout: .seconds(20))
            let timeBody = String(buffer: try await time.body.collect(upTo: 1 << 16))
            #expect(timeBody == #"{"serverTime":\#(VenueHarness.start.milliseconds + 120_000)}"#)
        }
    }
}
