//! The whole simulation: hosts, their kernels and processes, the network,
//! the threads, simulated time, the seeded RNG, and the events of the
//! current step.
//!
//! # Driving it
//!
//! `World` is sans-IO in the manner of quinn-proto: nothing happens unless
//! the driver calls in. [`World::step`] runs to the next moment at which
//! something observable happens (at least one [`Event`]) and returns those
//! events through [`World::poll_events`]; [`World::next_event_at`] says when
//! that will be; [`World::advance_to`] runs every step up to a time;
//! [`World::handle_action`] applies a learner's action. A UI normally drives
//! a [`Run`](super::Run), which records actions and keeps snapshots, rather
//! than a bare `World`.
//!
//! Cloning a `World` copies its buffers and queues but not the history of
//! events, which the [`Run`](super::Run) keeps: a clone is a snapshot.
//!
//! # Layout
//!
//! - `config`: [`WorldConfig`] and the lesson's specs.
//! - `setup`: building the hosts and their main threads.
//! - `step`: the scheduler: [`World::step`], the agenda, carrying out a socket's `Out`.
//! - `deliver`: segments onto and off the wire; demultiplexing; the listen queues.
//! - `process`: threads and processes: running programs, thread and process ends.
//! - `syscalls`: the calls programs make, each with its blocking rule.
//! - `actions`: the learner's actions.
//! - `http`: what the `http` lesson's programs need.

mod actions;
pub mod agenda;
mod config;
mod deliver;
mod http;
mod process;
mod python;
mod setup;
mod step;
mod syscalls;

pub use config::*;

use super::event::{
    BlockReason, Call, DropReason, EpollOp, Event, EventKind, Fd, HostId, HttpNote, Log, Origin,
    Ready, Relative, Ret, SendReason, SockId, SockOption, SysError, ThreadEnd, ThreadId, TimerKind,
};
use super::http_view::HttpState;
use super::net::segment::{Endpoint, Segment, SeqNumber};
use super::net::wire::{Loss, Network};
use super::os::kernel::{
    FdEntry, Kernel, Listener, SockOpts, Socket, SocketKind, EPHEMERAL_HIGH, EPHEMERAL_LOW,
};
use super::os::thread::{Command, Thread, ThreadState};
use super::programs::http::{Browser, SITE};
use super::programs::{Flow, Program, ProgramSource};
use super::tcp::{Out, State, TcpConfig, TcpSocket};
use super::time::{Duration, Instant};
use super::Action;
use crate::http::{MemoryFiles, Url};
use crate::sim::lessons::code::Script;
use crate::text::{Lang, Text};
use agenda::Agenda;
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// A machine: a name, an IP, a kernel and one process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    pub id: HostId,
    pub name: String,
    pub ip: Ipv4Addr,
    pub kernel: Kernel,
    pub process_alive: bool,
    /// The learner removed this client ([`Action::RemoveClient`]).
    pub removed: bool,
    pub(crate) client: Option<ClientSpec>,
    /// The program its process runs, as the code panel shows it.
    pub code: Option<Script>,
    /// Its Python interpreter (taken out while a thread of it runs).
    pub(crate) python: Option<Box<crate::sim::python::Interp>>,
    /// The world's thread for each of the interpreter's threads.
    pub(crate) py_threads: Vec<ThreadId>,
    /// What the program wrote after its last newline.
    pub(crate) terminal: String,
    /// Lines typed into its terminal, not yet read by `input()`.
    pub(crate) stdin: std::collections::VecDeque<String>,
    /// The Python thread that holds the interpreter (CPython's GIL), since when.
    pub(crate) gil: Option<ThreadId>,
    pub(crate) gil_since: Instant,
    /// Threads ready to run, waiting for the GIL, in order.
    pub(crate) gil_queue: std::collections::VecDeque<ThreadId>,
    /// The files on its disk: the site a web server on it serves.
    pub files: MemoryFiles,
    /// Restarts that came due while its process was still running: the
    /// first starts the moment the process exits.
    pub(crate) pending_restarts: std::collections::VecDeque<u8>,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Task {
    Run(ThreadId),
    /// A blocked thread's deadline (a sleep's end, a timeout): it tries its
    /// call again.
    Wake(ThreadId),
    Poll(HostId, SockId),
    Deliver(u64),
    Timer(HostId, SockId, TimerKind),
    /// The server's `n`th [`Restart`] is due.
    Restart(u8),
}
/// What a syscall gave the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sys<T> {
    Ready(T),
    Blocked,
    Failed(SysError),
}
/// The simulation. See the module docs for how to drive it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct World {
    pub(crate) config: WorldConfig,
    now: Instant,
    step: u64,
    pub(crate) hosts: Vec<Host>,
    pub(crate) threads: Vec<Thread>,
    pub(crate) network: Network,
    agenda: Agenda<Task>,
    rng: ChaCha8Rng,
    pub(crate) log: Log,
    polls: Vec<(HostId, SockId)>,
    pub(crate) http: HttpState,
    /// The stream graphs of connections the kernel has freed, so a run
    /// played to the end still shows them.
    pub(crate) past_graphs: Vec<crate::sim::view::ConnectionGraph>,
}
fn host_ip(id: HostId) -> Ipv4Addr {
    if id == HostId::BROWSER {
        return Ipv4Addr::new(10, 0, 0, 100);
    }
    Ipv4Addr::new(10, 0, 0, id.0 + 1)
}

impl World {
    /// The host with this id (hosts are few: a scan is cheap).
    fn host(&self, h: HostId) -> &Host {
        self.hosts
            .iter()
            .find(|x| x.id == h)
            .expect("a host id names a host of this world")
    }

    fn host_mut(&mut self, h: HostId) -> &mut Host {
        self.hosts
            .iter_mut()
            .find(|x| x.id == h)
            .expect("a host id names a host of this world")
    }

    pub(crate) fn find_host(&self, h: HostId) -> Option<&Host> {
        self.hosts.iter().find(|x| x.id == h)
    }

    /// Simulated time now.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// How many steps have run.
    pub fn step_count(&self) -> u64 {
        self.step
    }

    /// When the next thing is due, or `None` if nothing will ever happen
    /// again without a learner's action.
    pub fn next_event_at(&self) -> Option<Instant> {
        self.agenda.next_at()
    }

    /// Nothing more will happen unless the learner acts.
    pub fn is_finished(&self) -> bool {
        self.agenda.is_empty()
    }

    pub(crate) fn kernel_mut(&mut self, h: HostId) -> &mut Kernel {
        &mut self.host_mut(h).kernel
    }

    pub(crate) fn kernel(&self, h: HostId) -> &Kernel {
        &self.host(h).kernel
    }

    fn host_by_ip(&self, ip: Ipv4Addr) -> Option<HostId> {
        self.hosts.iter().find(|h| h.ip == ip).map(|h| h.id)
    }

    pub(crate) fn thread(&self, tid: ThreadId) -> &Thread {
        &self.threads[tid.0 as usize]
    }

    fn thread_mut(&mut self, tid: ThreadId) -> &mut Thread {
        &mut self.threads[tid.0 as usize]
    }

    pub fn config(&self) -> &WorldConfig {
        &self.config
    }
}
