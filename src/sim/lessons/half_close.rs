//! The `half-close` lesson. The client sends everything, then
//! `shutdown(SHUT_WR)`: its FIN tells the server the upload is complete
//! (the server's `recv()` returns `b''`), yet the connection still carries
//! the server's answer the other way; the client reads it until `b''`.

use super::code::{lesson_program, HALF_CLOSE_CLIENT, HALF_CLOSE_SERVER};
use super::{Group, Lesson, Panels};
use crate::sim::time::Instant;
use crate::sim::world::{ClientSpec, ServerSpec, WorldConfig};
use crate::text::{Lang, Text};

pub(super) const LESSON: Lesson = Lesson {
    slug: "half-close",
    group: Group::Mistakes,
    title: Text::new("半关闭：shutdown(SHUT_WR)", "Half-close: shutdown(SHUT_WR)"),
    intro: Text::new(
        "服务器要等收完整个上传才能回答，可它怎么知道上传完了？客户端发完最后一行后调用 shutdown(SHUT_WR)：内核发出 FIN，意思是“我不会再发了”。服务器的 recv() 读完缓冲区后返回 b''，循环结束，它照样能把回答发回去，因为连接只关了一个方向：客户端的套接字发出了 FIN，处于 FIN-WAIT-1（确认到了就是 FIN-WAIT-2），服务器的处于 CLOSE-WAIT，数据还能从服务器流向客户端（这里 FIN 的确认正是搭着回答一起回来的）。如果客户端用 close() 代替 shutdown()，它就再也收不到回答了。留意线路上客户端的 FIN 比服务器的数据先走。",
        "The server must read the whole upload before it can answer, but how does it know the upload is over? After its last line the client calls shutdown(SHUT_WR): the kernel sends FIN, meaning \"I will send nothing more\". The server's recv() drains the buffer and returns b'', its loop ends, and it can still send its answer back, because only one direction of the connection is closed: the client's socket has sent its FIN and waits in FIN-WAIT-1 (FIN-WAIT-2 once that is acknowledged), the server's sits in CLOSE-WAIT, and bytes still flow from the server to the client (here the ACK of the FIN rides back on the answer itself). Had the client called close() instead, it could not read the answer. Watch the client's FIN cross the wire before the server's data.",
    ),
    default_seed: 5,
    panels: Panels::NONE,
    config,
    checkpoints: &[],
};

fn config(lang: Lang) -> WorldConfig {
    WorldConfig {
        lang,
        server: ServerSpec::new(lesson_program(HALF_CLOSE_SERVER, lang)),
        clients: vec![ClientSpec::python(
            lesson_program(HALF_CLOSE_CLIENT, lang),
            Instant::from_millis(1),
        )],
        ..WorldConfig::default()
    }
}
