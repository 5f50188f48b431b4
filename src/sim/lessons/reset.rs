//! The `reset` lesson. Two ways a connection ends with RST: the server
//! closes a socket whose receive buffer still holds unread bytes (the
//! client's `recv()` raises `ConnectionResetError`), and the client keeps
//! sending to a server that has closed (the server's kernel answers RST,
//! and the client's next `send()` raises `BrokenPipeError`).

use super::code::{lesson_program, RESET_CLIENT, RESET_SERVER};
use super::{Group, Lesson, Panels};
use crate::sim::time::Instant;
use crate::sim::world::{ClientSpec, ServerSpec, WorldConfig};
use crate::text::{Lang, Text};

pub(super) const LESSON: Lesson = Lesson {
    slug: "reset",
    group: Group::Mistakes,
    title: Text::new("RST：连接被重置", "RST: a connection reset"),
    intro: Text::new(
        "close() 并不总是礼貌地发 FIN。第一个连接里，客户端发来两行，服务器只读了一行就 close()：接收缓冲区里还有没读的字节，内核把它们丢掉，发出 RST（RFC 9293 要求这样告诉对方：数据丢了）。客户端的 recv() 于是抛出 ConnectionResetError。第二个连接里，服务器读完才关闭，发的是 FIN；可客户端还在继续 send()：字节照样发出去，服务器的内核已经没有人会读它们了，只能回一个 RST；客户端的下一次 send() 抛出 BrokenPipeError。留意线路上的 [RST] 报文段，以及它们之后两端的套接字状态。",
        "close() does not always say a polite FIN. In the first connection the client sends two lines, the server reads only one and calls close(): bytes are still unread in its receive buffer, so the kernel throws them away and sends RST (RFC 9293 asks for it: the peer must learn that data was lost). The client's recv() then raises ConnectionResetError. In the second connection the server reads everything and closes with FIN, but the client keeps calling send(): the bytes still leave, nobody on the server will ever read them, so its kernel answers RST, and the client's next send() raises BrokenPipeError. Watch the [RST] segments on the wire and the sockets' states after them.",
    ),
    default_seed: 3,
    panels: Panels::NONE,
    config,
    checkpoints: &[],
};

fn config(lang: Lang) -> WorldConfig {
    WorldConfig {
        lang,
        server: ServerSpec::new(lesson_program(RESET_SERVER, lang)),
        clients: vec![ClientSpec::python(
            lesson_program(RESET_CLIENT, lang),
            Instant::from_millis(1),
        )],
        ..WorldConfig::default()
    }
}
