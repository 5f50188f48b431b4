//! The listening sockets of the event loops.
//!
//! With [`AcceptMode::ReusePort`] every loop gets its own listening socket on
//! the same address (`SO_REUSEPORT`): the kernel hashes each new connection
//! to one of them, so the loops accept in parallel and no connection is
//! handed between threads. With [`AcceptMode::Handoff`] there is one socket.

use std::io;
use std::net::{SocketAddr, TcpListener};

use mio::net::TcpListener as MioListener;

use super::super::engine::AcceptMode;
use super::super::server;

/// The accept queue length asked of the kernel (it caps it at `somaxconn`).
const BACKLOG: i32 = 1024;

/// Binds `addr`; returns the bound address and the listeners (`loops` of
/// them with `SO_REUSEPORT`, else one).
pub(crate) fn bind(
    addr: SocketAddr,
    loops: usize,
    mode: AcceptMode,
) -> io::Result<(SocketAddr, Vec<MioListener>)> {
    if mode == AcceptMode::ReusePort && loops > 1 {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        return bind_reuseport(addr, loops);
    }
    let std = server::bind(addr)?;
    std.set_nonblocking(true)?;
    let bound = std.local_addr()?;
    Ok((bound, vec![MioListener::from_std(std)]))
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn bind_reuseport(addr: SocketAddr, loops: usize) -> io::Result<(SocketAddr, Vec<MioListener>)> {
    // A port shared with SO_REUSEPORT can be joined by any other socket of
    // the same user that also sets it: a second `sockscope serve` on the same
    // port would silently split the clients with the first. A plain bind
    // first makes that an "already in use" error, as with the threaded engine.
    if addr.port() != 0 {
        drop(server::bind(addr)?);
    }
    let first = reuseport_listener(addr)?;
    let bound = first.local_addr()?;
    let mut all = vec![first];
    for _ in 1..loops {
        all.push(reuseport_listener(bound)?);
    }
    Ok((bound, all.into_iter().map(MioListener::from_std).collect()))
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn reuseport_listener(addr: SocketAddr) -> io::Result<TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.set_reuse_port(true)?;
    socket.set_nonblocking(true)?;
    socket
        .bind(&addr.into())
        .map_err(|e| server::bind_error(addr, e))?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuseport_listeners_share_one_port_and_refuse_a_taken_one() {
        let any = SocketAddr::from(([127, 0, 0, 1], 0));
        let (bound, listeners) = bind(any, 3, AcceptMode::ReusePort).unwrap();
        assert_ne!(bound.port(), 0);
        #[cfg(any(target_os = "linux", target_os = "android"))]
        assert_eq!(listeners.len(), 3);
        for l in &listeners {
            assert_eq!(l.local_addr().unwrap(), bound);
        }
        // A second server on the same port is refused, in both modes.
        for mode in [AcceptMode::ReusePort, AcceptMode::Handoff] {
            let err = bind(bound, 2, mode).expect_err("the port is taken");
            assert!(err.to_string().contains("already in use"), "{err}");
        }
        let (_, one) = bind(any, 3, AcceptMode::Handoff).unwrap();
        assert_eq!(one.len(), 1);
    }
}
