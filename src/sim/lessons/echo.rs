//! The `echo` lesson. One client and the multi-threaded echo server: `accept()` blocking while
//! the kernel does the handshake, `send()` copying into the send buffer,
//! segments and ACKs, `recv()` draining, the close states.

use super::code::{ClientKind, EchoServer};
use super::{Group, Lesson, Panels};
use crate::sim::quiz::{Ask, CallKind, Checkpoint, Choice, Moment, Outcome, RecvOutcome, Side, Trigger};
use crate::sim::time::Instant;
use crate::sim::world::{ClientSpec, ServerSpec, WorldConfig};
use crate::text::{Lang, Text};

pub(super) const LESSON: Lesson = Lesson {
    slug: "echo",
    group: Group::Course,
    title: Text::new(
        "一个客户端，一个服务器",
        "One client, one server",
    ),
    intro: Text::new(
        "看服务器主线程阻塞在 accept() 上，而三次握手完全由内核完成。再跟着每条消息走：send() 只是把字节拷进发送缓冲区，由内核发到网络上，另一端的 recv() 再从接收缓冲区取出。最后，close() 变成 FIN 报文段，连接经过 RFC 9293 的关闭状态。",
        "Watch the server's main thread block in accept() while the kernel alone completes the three-way handshake. Then follow each message: send() only copies bytes into the send buffer, the kernel puts them on the wire, and recv() takes them out of the receive buffer on the other side. At the end, close() turns into FIN segments and the four RFC 9293 closing states.",
    ),
    default_seed: 7,
    panels: Panels::NONE,
    config,
    checkpoints: CHECKPOINTS,
};

const CHECKPOINTS: &[Checkpoint] = &[
    Checkpoint {
        id: "who-speaks-first",
        question: Text::new(
            "三次握手已经完成，客户端的 connect() 马上就要返回。这条连接上，哪一方会先发出带数据（或 FIN）的报文段？",
            "The handshake is done and the client's connect() is about to return. Which side will be first to send a segment with data (or a FIN) on this connection?",
        ),
        trigger: Trigger { side: Side::Client, call: CallKind::Connect, nth: 1, moment: Moment::Returns },
        ask: Ask::NextSender,
        choices: &[
            Choice {
                text: Text::new("客户端：是它要建立这条连接的", "The client: it is the one that wanted this connection"),
                outcome: Outcome::Sender(Side::Client),
            },
            Choice {
                text: Text::new("服务器：它先向每个新客户端打招呼", "The server: it greets each new client first"),
                outcome: Outcome::Sender(Side::Server),
            },
        ],
    },
    Checkpoint {
        id: "first-reply",
        question: Text::new(
            "客户端第一次调用 recv(1024)，等服务器的回复。这次 recv() 会返回什么？",
            "The client calls recv(1024) for the first time, waiting for the server's reply. What will this recv() return?",
        ),
        trigger: Trigger { side: Side::Client, call: CallKind::Recv, nth: 1, moment: Moment::Enters },
        ask: Ask::Recv,
        choices: &[
            Choice {
                text: Text::new("完整的回复，正是服务器那一次 send() 交出的字节", "The whole reply, exactly the bytes the server's send() handed over"),
                outcome: Outcome::Recv(RecvOutcome::Whole),
            },
            Choice {
                text: Text::new("回复的一部分，剩下的还要再 recv() 一次", "Only part of the reply; the rest needs another recv()"),
                outcome: Outcome::Recv(RecvOutcome::Part),
            },
            Choice {
                text: Text::new("b''：服务器关闭了连接", "b'': the server closed the connection"),
                outcome: Outcome::Recv(RecvOutcome::Closed),
            },
        ],
    },
    Checkpoint {
        id: "after-last-message",
        question: Text::new(
            "服务器的线程第三次调用 recv(1024)。客户端的两条消息都已经回复过了，它没有别的要说。这次 recv() 会返回什么？",
            "The server's thread calls recv(1024) a third time. Both of the client's messages have been answered, and it has nothing more to say. What will this recv() return?",
        ),
        trigger: Trigger { side: Side::Server, call: CallKind::Recv, nth: 3, moment: Moment::Enters },
        ask: Ask::Recv,
        choices: &[
            Choice {
                text: Text::new("又一条完整的消息", "Another whole message"),
                outcome: Outcome::Recv(RecvOutcome::Whole),
            },
            Choice {
                text: Text::new("b''：等客户端关闭了套接字，它就返回空字节串", "b'': once the client closes its socket, it returns empty bytes"),
                outcome: Outcome::Recv(RecvOutcome::Closed),
            },
            Choice {
                text: Text::new("抛出 ConnectionResetError", "It raises ConnectionResetError"),
                outcome: Outcome::Recv(RecvOutcome::Failed),
            },
        ],
    },
];


fn config(lang: Lang) -> WorldConfig {
    WorldConfig {
        lang,
        server: ServerSpec::new(EchoServer::default().script(lang)),
        clients: vec![ClientSpec::echo(
            ClientKind::Scripted,
            &["你好", "how are you?"],
            lang,
            Instant::from_millis(1),
        )],
        added_client: ClientSpec::echo(ClientKind::Interactive, &[], lang, Instant::ZERO),
        ..WorldConfig::default()
    }
}
