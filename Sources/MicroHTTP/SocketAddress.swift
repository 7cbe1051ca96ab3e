import CMicroHTTPD

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Conversions between host strings and socket addresses.
enum SocketAddress {
    /// A parsed listen address, ready to hand to libmicrohttpd.
    enum Listen {
        case v4(sockaddr_in)
        /// `anyAddress` is "::", which listens on IPv4 as well (dual stack).
        case v6(sockaddr_in6, anyAddress: Bool)
    }

    /// Parses an IPv4 or IPv6 literal ("localhost" means 127.0.0.1); nil when it is neither.
    static func listen(host: String, port: UInt16) -> Listen? {
        let literal = host == "localhost" ? "127.0.0.1" : host
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, literal, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            return .v4(v4)
        }
        var v6 = sockaddr_in6()
        let unbracketed = literal.hasPrefix("[") && literal.hasSuffix("]") ? String(literal.dropFirst().dropLast()) : literal
        if inet_pton(AF_INET6, unbracketed, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = port.bigEndian
            let isAny = withUnsafeBytes(of: v6.sin6_addr) { $0.allSatisfy { $0 == 0 } }
            return .v6(v6, anyAddress: isAny)
        }
        return nil
    }

    /// The numeric host of a client address; IPv4-mapped IPv6 addresses ("::ffff:a.b.c.d") come out as IPv4.
    static func describe(_ address: UnsafePointer<sockaddr>?) -> String? {
        guard let address else { return nil }
        // INET6_ADDRSTRLEN is 46; a fixed tuple keeps this off the heap.
        var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &buffer) { raw -> String? in
            let chars = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            let capacity = socklen_t(raw.count)
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                    var addr = v4.pointee.sin_addr
                    return inet_ntop(AF_INET, &addr, chars, capacity).map { String(cString: $0) }
                }
            case AF_INET6:
                return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                    var addr = v6.pointee.sin6_addr
                    let text = inet_ntop(AF_INET6, &addr, chars, capacity).map { String(cString: $0) }
                    if let text, text.hasPrefix("::ffff:"), text.contains(".") { return String(text.dropFirst(7)) }
                    return text
                }
            default:
                return nil
            }
        }
    }
}
