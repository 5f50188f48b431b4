//! Threads of the simulated processes.

use crate::sim::event::{BlockReason, Call, HostId, Lang, SockId, ThreadEnd, ThreadId};
use crate::sim::programs::Program;
use crate::sim::time::Instant;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// What a thread is doing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum ThreadState {
    /// Running Python code (or ready to).
    Running,
    /// Ready to run, but another thread of its process holds the Python
    /// interpreter (the GIL): it waits its turn.
    Ready,
    /// Inside a call that cannot finish yet.
    Blocked { call: Call, reason: BlockReason },
    /// Finished.
    Exited { end: ThreadEnd },
}

/// What the learner asks an interactive client to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case")]
pub enum Command {
    Send {
        text: String,
    },
    Recv,
    Close,
    /// The browser goes to this (checked) URL.
    Visit {
        url: String,
    },
}

impl Command {
    /// What the learner chose, in words.
    pub fn describe(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Command::Send { text } => {
                let text = crate::pyrepr::py_str_repr(text);
                if zh {
                    format!("发送 {text}")
                } else {
                    format!("send {text}")
                }
            }
            Command::Recv => (if zh { "调用 recv" } else { "recv" }).into(),
            Command::Close => (if zh { "关闭" } else { "close" }).into(),
            Command::Visit { url } => {
                if zh {
                    format!("访问 {url}")
                } else {
                    format!("visit {url}")
                }
            }
        }
    }
}

/// A thread: a program being run, with where it is and what it waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    pub id: ThreadId,
    pub host: HostId,
    /// Python's name: `MainThread`, `Thread-1 (handle_client)`.
    pub name: String,
    /// A daemon thread does not keep its process alive.
    pub daemon: bool,
    /// The process's main thread.
    pub main: bool,
    pub state: ThreadState,
    /// The source line it is on (1-based), once it has started.
    pub line: Option<u32>,
    pub(crate) program: Program,
    pub(crate) started: bool,
    pub(crate) scheduled: bool,
    /// The sockets whose changes wake it from its blocked call: the one
    /// socket of an `accept`/`recv`/`send`/`connect`, every socket of a
    /// `select`, none for a sleep or a join.
    pub(crate) blocked_on: Vec<SockId>,
    pub(crate) in_call: bool,
    /// A `send()` that blocked half-way: the bytes it was given and how
    /// many are in the send buffer so far.
    pub(crate) sending: Option<(Vec<u8>, usize)>,
    /// When the blocked call gives up or ends (a sleep's end, a timeout).
    pub(crate) deadline: Option<Instant>,
    /// The thread a `join()` waits for.
    pub(crate) joining: Option<ThreadId>,
    /// Waiting for a lock another thread of the process holds.
    pub(crate) lock_wait: bool,
    /// Statements run since it last blocked: a thread that never blocks
    /// (a busy loop) keeps the CPU and the GIL.
    pub(crate) busy: u32,
    /// Of those, `recv()` calls that returned `b''` (the peer had closed).
    pub(crate) eof_recvs: u32,
    pub(crate) inbox: VecDeque<Command>,
}

impl Thread {
    pub fn is_alive(&self) -> bool {
        !matches!(self.state, ThreadState::Exited { .. })
    }
}
