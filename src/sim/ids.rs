//! The names of things in the world: hosts, threads, sockets, fds.

use serde::{Deserialize, Serialize};

/// A host of the world: 0 is the server, 1.. are the clients, and
/// [`HostId::BROWSER`] is the browser of the `http` lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HostId(pub u8);

/// A thread, unique in the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ThreadId(pub u16);

/// A socket, unique on its host: its slot in the kernel's socket table.
/// (The program knows it by a file descriptor; the kernel keeps a socket
/// alive after `close()` until the connection is over, when it has no fd.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SockId(pub u16);

impl HostId {
    pub const SERVER: HostId = HostId(0);
    /// The browser host of the `http` lesson (a number no client reaches).
    pub const BROWSER: HostId = HostId(100);
    /// The name the UI shows: `server`, `client-1`, `client-2`, …, `browser`.
    pub fn name(self) -> String {
        match self {
            HostId::SERVER => "server".into(),
            HostId::BROWSER => "browser".into(),
            HostId(n) => format!("client-{n}"),
        }
    }
}

/// A file descriptor, as Python's `sock.fileno()` shows it.
pub type Fd = u32;
