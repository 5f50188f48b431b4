//! What a learner can do to a running world, as it is recorded and shared.

use super::ids::HostId;
use super::Lang;
use crate::echo::TextEncoding;
use serde::{Deserialize, Serialize};

/// What a learner can do. Serialized compactly, as it goes into share URLs:
/// `{"a":"send","client":1,"text":"hi"}`. Read back through `RawAction`
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
    /// Drop the segment with this wire id while it crosses the network.
    DropSegment { segment: u64 },
    /// Lose this percent of every segment from now on (0 to 100).
    SetLoss { percent: u8 },
    /// The one-way delay of the wire from now on, in milliseconds.
    SetDelay { ms: u32 },
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
    segment: Option<u64>,
    percent: Option<u8>,
    ms: Option<u32>,
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
            "drop-segment" => Action::DropSegment {
                segment: raw.segment.ok_or_else(|| need("segment"))?,
            },
            "set-loss" => Action::SetLoss {
                percent: raw.percent.ok_or_else(|| need("percent"))?,
            },
            "set-delay" => Action::SetDelay {
                ms: raw.ms.ok_or_else(|| need("ms"))?,
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
            Action::DropSegment { segment } => {
                if zh {
                    format!("丢弃线路上的报文段 #{segment}")
                } else {
                    format!("drop segment #{segment} on the wire")
                }
            }
            Action::SetLoss { percent } => {
                if zh {
                    format!("网络丢包率设为 {percent}%")
                } else {
                    format!("set the network's loss to {percent}%")
                }
            }
            Action::SetDelay { ms } => {
                if zh {
                    format!("线路单向延迟设为 {ms} 毫秒")
                } else {
                    format!("set the wire's one-way delay to {ms} ms")
                }
            }
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
                    format!("client-{client} 发送 {}", crate::pyrepr::py_str_repr(text))
                } else {
                    format!("client-{client} sends {}", crate::pyrepr::py_str_repr(text))
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
