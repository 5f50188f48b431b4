//! The simulation core: a deterministic, sans-IO model of hosts, threads,
//! sockets, kernel buffers and TCP.
//!
//! Nothing in here reads a clock, opens a socket, starts a thread, draws
//! unseeded randomness or touches the DOM: time is simulated
//! ([`time::Instant`]), randomness comes from a seeded ChaCha8 RNG kept in
//! the [`World`], and the same lesson, seed and learner actions always give
//! the same event log, byte for byte. It compiles for wasm32 and native.
//!
//! # Layout
//!
//! - [`time`]: simulated `Instant` and `Duration` (integer microseconds).
//! - [`ring_buffer`]: the kernel's fixed-capacity byte buffers.
//! - [`segment`]: TCP segments with real header fields; wrapping sequence numbers.
//! - [`tcp`]: the stream socket: RFC 9293 states, SND.UNA/SND.NXT/SND.WND/RCV.NXT,
//!   segmentation by MSS and window, zero-window probing, FIN, TIME-WAIT, RST.
//! - [`kernel`]: a host's socket table, listening sockets with SYN and accept
//!   queues, file descriptors, ephemeral ports.
//! - [`network`]: the wire: latency (and the seam for loss).
//! - [`thread`], [`programs`]: threads, the lessons' Python programs
//!   as step machines, and their source texts in zh and en.
//! - [`event`]: everything that happens, with narrations in zh and en.
//! - [`agenda`]: what is due and when (FIFO among equal times).
//! - [`world`]: the whole simulation and its syscalls.
//! - [`lesson`]: the lessons as data.
//! - [`run`]: a recorded run (lesson, seed, actions) with snapshots: seek, step back.
//! - [`view`]: read-only views for the UI.
//! - [`http_view`]: the `http` lesson's exchanges for a Network panel: URL
//!   parts, headers with the bytes that carried them, timing.
//!   `programs::http` holds the `http` lesson's static web server and browser
//!   programs, and the site; HTTP itself is the shared [`crate::http`] module.
//! - [`pcap`]: the wire as a pcap file for Wireshark and tshark.
//!
//! # Driving it from a UI
//!
//! ```
//! use sockscope::sim::{Run, LessonId, Lang};
//! let mut run = Run::new(LessonId::Echo, LessonId::Echo.info().default_seed);
//! while run.step() {}                       // or one step per tick
//! assert!(run.is_finished());
//! let last = run.log().last().unwrap();
//! println!("{}", last.narration(Lang::En));
//! run.seek(10);                             // jump back: restore + replay
//! let world = run.world();                  // views: hosts, threads, sockets, wire
//! assert_eq!(world.threads().len(), 2);    // the handler thread comes later
//! assert_eq!(run.current_step(), 10);
//! ```

pub mod agenda;
pub mod event;
pub mod http_view;
pub mod kernel;
pub mod lesson;
pub mod network;
pub mod pcap;
pub mod programs;
pub mod python;
pub mod ring_buffer;
pub mod run;
pub mod segment;
pub mod tcp;
pub mod thread;
pub mod time;
pub mod view;
pub mod world;

pub use event::{Category, Event, EventKind, HostId, Lang, SockId, ThreadId};
pub use lesson::{LessonId, LessonInfo};
pub use ring_buffer::RingBuffer;
pub use run::Run;
pub use segment::{Endpoint, Segment, SeqNumber};
pub use tcp::State;
pub use time::{Duration, Instant};
pub use world::World;

use crate::echo::TextEncoding;
use serde::{Deserialize, Serialize};

/// What a learner can do. Serialized compactly, as it goes into share URLs:
/// `{"a":"send","client":1,"text":"hi"}`. Read back through [`RawAction`]
/// (the same JSON): serde's deserializer for an internally tagged enum
/// buffers every value first and costs the browser build 15 KB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "a", rename_all = "kebab-case", try_from = "RawAction")]
pub enum Action {
    /// Start a new client host running the interactive client.
    AddClient,
    /// End a client's process, as Ctrl-C in its terminal would (`client` is
    /// the host number): its threads stop, the kernel closes its sockets as
    /// it does for any process that exits, and the client leaves the stage
    /// once its kernel holds no socket.
    RemoveClient { client: u8 },
    /// Ask an interactive client to close its socket (`client` is the host
    /// number: 1 for client-1).
    Close { client: u8 },
    /// Type a message into an interactive client and send it.
    Send { client: u8, text: String },
    /// Make an interactive client call `recv(1024)` now.
    RecvNow { client: u8 },
    /// Set SO_SNDBUF / SO_RCVBUF on a host (0 = the server): for new sockets
    /// and, where the bytes already stored and the window already promised
    /// allow, for its existing ones.
    SetBuffers {
        target: u8,
        send_capacity: u32,
        recv_capacity: u32,
    },
    /// Switch the text encoding of every program.
    SetEncoding { encoding: TextEncoding },
    /// Type a URL into the browser's address bar and go (the `http` lesson):
    /// `{"a":"navigate","url":"http://www.example.test/about.html"}`.
    Navigate { url: String },
}

/// An [`Action`] as its JSON object has it: the tag `a` and every field any
/// action has. Fields an action does not have are ignored, as before.
#[derive(Deserialize)]
struct RawAction {
    a: String,
    client: Option<u8>,
    text: Option<String>,
    target: Option<u8>,
    send_capacity: Option<u32>,
    recv_capacity: Option<u32>,
    encoding: Option<TextEncoding>,
    url: Option<String>,
}

impl TryFrom<RawAction> for Action {
    type Error = String;

    fn try_from(raw: RawAction) -> Result<Action, String> {
        let a = raw.a.as_str();
        let need = |field: &str| format!("action \"{a}\" needs `{field}`");
        let client = || raw.client.ok_or_else(|| need("client"));
        Ok(match a {
            "add-client" => Action::AddClient,
            "remove-client" => Action::RemoveClient { client: client()? },
            "close" => Action::Close { client: client()? },
            "send" => Action::Send {
                client: client()?,
                text: raw.text.clone().ok_or_else(|| need("text"))?,
            },
            "recv-now" => Action::RecvNow { client: client()? },
            "set-buffers" => Action::SetBuffers {
                target: raw.target.ok_or_else(|| need("target"))?,
                send_capacity: raw.send_capacity.ok_or_else(|| need("send_capacity"))?,
                recv_capacity: raw.recv_capacity.ok_or_else(|| need("recv_capacity"))?,
            },
            "set-encoding" => Action::SetEncoding {
                encoding: raw.encoding.ok_or_else(|| need("encoding"))?,
            },
            "navigate" => Action::Navigate {
                url: raw.url.clone().ok_or_else(|| need("url"))?,
            },
            _ => return Err(format!("unknown action \"{a}\"")),
        })
    }
}

impl Action {
    /// A short description for the event list.
    pub fn describe(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Action::AddClient => (if zh {
                "添加一个客户端"
            } else {
                "add a client"
            })
            .into(),
            Action::RemoveClient { client } => {
                if zh {
                    format!("移除 client-{client}（结束它的进程）")
                } else {
                    format!("remove client-{client} (end its process)")
                }
            }
            Action::Close { client } => {
                if zh {
                    format!("关闭 client-{client}")
                } else {
                    format!("close client-{client}")
                }
            }
            Action::Send { client, text } => {
                if zh {
                    format!("client-{client} 发送 {}", crate::echo::py_str_repr(text))
                } else {
                    format!("client-{client} sends {}", crate::echo::py_str_repr(text))
                }
            }
            Action::RecvNow { client } => {
                if zh {
                    format!("client-{client} 现在 recv")
                } else {
                    format!("client-{client} calls recv now")
                }
            }
            Action::SetBuffers {
                target,
                send_capacity,
                recv_capacity,
            } => {
                let h = HostId(*target).name();
                if zh {
                    format!("{h} 的缓冲区：发送 {send_capacity}，接收 {recv_capacity} 字节")
                } else {
                    format!("{h} buffers: send {send_capacity}, receive {recv_capacity} bytes")
                }
            }
            Action::SetEncoding { encoding } => {
                if zh {
                    format!("编码改为 {encoding}")
                } else {
                    format!("encoding: {encoding}")
                }
            }
            Action::Navigate { url } => {
                if zh {
                    format!("在浏览器地址栏输入 {url}")
                } else {
                    format!("type {url} into the browser's address bar")
                }
            }
        }
    }
}

#[cfg(test)]
mod action_json_tests {
    use super::*;

    #[test]
    fn an_action_reads_back_from_its_json_and_bad_json_says_what_is_wrong() {
        let send: Action = serde_json::from_str(r#"{"a":"send","client":1,"text":"hi"}"#).unwrap();
        assert_eq!(
            send,
            Action::Send {
                client: 1,
                text: "hi".into()
            }
        );
        // A field another action has is ignored, as serde's enum did.
        let add: Action = serde_json::from_str(r#"{"a":"add-client","client":3}"#).unwrap();
        assert_eq!(add, Action::AddClient);
        let missing = serde_json::from_str::<Action>(r#"{"a":"send","client":1}"#).unwrap_err();
        assert!(missing.to_string().contains("needs `text`"), "{missing}");
        let unknown = serde_json::from_str::<Action>(r#"{"a":"explode"}"#).unwrap_err();
        assert!(unknown.to_string().contains("unknown action"), "{unknown}");
        assert!(serde_json::from_str::<Action>(r#"{"client":1}"#).is_err());
    }
}
