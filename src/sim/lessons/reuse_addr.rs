//! The `reuse-addr` lesson. The server is run three times on the same
//! host (a [`Restart`] is the program typed again into its terminal):
//! with SO_REUSEADDR it serves a client and closes first, leaving its
//! side of the connection in TIME-WAIT for 60 s; started again at once
//! without the option, its `bind()` raises `OSError: [Errno 98] Address
//! already in use`; started with it, it binds while the old connection is
//! still in TIME-WAIT (Linux asks both sockets for the option).

use super::code::{lesson_program, REUSE_ADDR_CLIENT, REUSE_ADDR_SERVER};
use super::{Group, Lesson, Panels};
use crate::sim::time::Instant;
use crate::sim::world::{ClientSpec, Restart, ServerSpec, WorldConfig};
use crate::text::{Lang, Text};

pub(super) const LESSON: Lesson = Lesson {
    slug: "reuse-addr",
    group: Group::Mistakes,
    title: Text::new(
        "重启服务器：SO_REUSEADDR",
        "Restarting a server: SO_REUSEADDR",
    ),
    intro: Text::new(
        "同一个 server.py 在同一台主机上运行三次。第一次（python3 server.py --reuse）服务一个客户端，并且先关闭连接：先关闭的一方要把连接在 TIME-WAIT 里保留 60 秒，看它的计时器倒数。第二次在 1 秒后启动，这回没有 --reuse：bind() 抛出 OSError: [Errno 98] Address already in use，因为端口还被那个 TIME-WAIT 连接占着，尽管上一个进程早就退出了：连接属于内核，不属于进程。第三次在 2 秒时带 --reuse 启动：bind() 成功，照常服务下一个客户端。Linux 要求新旧两边都设置 SO_REUSEADDR（连接从它的监听套接字继承这个选项），所以服务器程序应当每次都在 bind() 之前设置它。",
        "The same server.py runs three times on the same host. The first run (python3 server.py --reuse) serves a client and closes the connection first: the side that closes first keeps the connection in TIME-WAIT for 60 s; watch its timer count down. The second run starts a second later, without --reuse: bind() raises OSError: [Errno 98] Address already in use, because that TIME-WAIT connection still holds the port even though the first process has long exited: connections belong to the kernel, not to a process. The third run, at 2 s, has --reuse again: bind() succeeds and it serves the next client as usual. Linux asks both the old and the new socket for SO_REUSEADDR (a connection inherits it from its listening socket), so a server should always set it before bind().",
    ),
    default_seed: 8,
    panels: Panels::NONE,
    config,
    checkpoints: &[],
};

fn config(lang: Lang) -> WorldConfig {
    let client = lesson_program(REUSE_ADDR_CLIENT, lang);
    let reuse = vec!["--reuse".to_string()];
    WorldConfig {
        lang,
        server: ServerSpec {
            args: reuse.clone(),
            restarts: vec![
                Restart {
                    at: Instant::from_millis(1000),
                    args: vec![],
                },
                Restart {
                    at: Instant::from_millis(2000),
                    args: reuse,
                },
            ],
            ..ServerSpec::new(lesson_program(REUSE_ADDR_SERVER, lang))
        },
        clients: vec![
            ClientSpec::python(client.clone(), Instant::from_millis(1)),
            ClientSpec::python(client, Instant::from_millis(2500)),
        ],
        ..WorldConfig::default()
    }
}
