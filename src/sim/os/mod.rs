//! The operating system of each simulated host, below the program and
//! above TCP: the kernel's socket and fd tables, listening sockets and their
//! queues, ephemeral ports ([`kernel`]), when a socket is ready for
//! `select()` ([`poll`]), the host's processes, each with its own fd table
//! ([`process`]), and their threads ([`thread`]). The syscalls that programs make are in
//! [`crate::sim::world`]'s `syscalls` file, where each one's blocking and
//! waking rule is written once.

pub mod kernel;
pub mod poll;
pub mod process;
pub mod thread;

pub use kernel::{FdEntry, Kernel, Listener, SockOpts, Socket, SocketKind};
pub use process::Process;
pub use thread::{Command, Thread, ThreadState};
