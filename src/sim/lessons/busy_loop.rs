//! The `busy-loop` lesson. The echo handler without `else: break`: once the
//! client has closed, `recv()` returns `b''` at once, every time, and the
//! thread spins without ever blocking (a `Spinning` event says so, with
//! the count of `b''`s), its socket stuck in CLOSE-WAIT. The demo's main
//! thread ends after 0.1 s, and the daemon handler with the process.

use super::code::{lesson_program, BUSY_LOOP_CLIENT, BUSY_LOOP_SERVER};
use super::{Group, Lesson, Panels};
use crate::sim::time::Instant;
use crate::sim::world::{ClientSpec, ServerSpec, WorldConfig};
use crate::text::{Lang, Text};

pub(super) const LESSON: Lesson = Lesson {
    slug: "busy-loop",
    group: Group::Mistakes,
    title: Text::new("忙循环：忘了 break", "Busy loop: a missing break"),
    intro: Text::new(
        "这个处理函数只少了一行 else: break。客户端在的时候一切正常：recv() 阻塞，消息来了才返回。客户端一关闭，连接的接收方向就到了尽头，recv() 不再阻塞，每次都立即返回 b''；代码没有检查它，于是线程一圈又一圈地空转，从不阻塞：在 top 里它占满一个 CPU，还几乎一直握着 GIL。它的套接字也永远停在 CLOSE-WAIT，因为没有人调用 close()。看线程的光标一直在动，以及“忙循环”的提示。演示的主线程 0.1 秒后结束，守护线程随进程一起结束；真正的服务器里它会永远转下去。",
        "This handler lacks one line: else: break. While the client is there all is well: recv() blocks and returns when a message comes. Once the client closes, the receiving direction of the connection has reached its end, so recv() no longer blocks: it returns b'' at once, every time. The code never checks for it, so the thread loops round and round and never blocks again: in top it takes a whole CPU, and it holds the GIL nearly all the time. Its socket stays in CLOSE-WAIT for ever too, since nobody calls close(). Watch the thread's cursor never stop, and the busy-loop note. The demo's main thread ends after 0.1 s and the daemon thread dies with the process; in a real server it would spin for ever.",
    ),
    default_seed: 9,
    panels: Panels::NONE,
    config,
    checkpoints: &[],
};

fn config(lang: Lang) -> WorldConfig {
    WorldConfig {
        lang,
        server: ServerSpec::new(lesson_program(BUSY_LOOP_SERVER, lang)),
        clients: vec![ClientSpec::python(
            lesson_program(BUSY_LOOP_CLIENT, lang),
            Instant::from_millis(1),
        )],
        ..WorldConfig::default()
    }
}
