//! The `http` lesson. A browser: DNS, connect, `GET` requests over one keep-alive connection, a
//! static web server answering 200 and 404, the URL split into its parts and
//! a DevTools-style Network panel.

use super::code::WebServer;
use super::{Group, Lesson, Panels};
use crate::sim::world::{HttpSpec, ServerSpec, WorldConfig, HTTP_PORT};
use crate::text::{Lang, Text};

pub(super) const LESSON: Lesson = Lesson {
    slug: "http",
    group: Group::Course,
    title: Text::new(
        "浏览器请求，网站服务器响应：HTTP",
        "A browser asks, a web server answers: HTTP",
    ),
    intro: Text::new(
        "浏览器先把名字 www.example.test 变成地址（DNS），再与 80 端口建立 TCP 连接，写出一个请求报文：纯文本，一行请求行、若干请求头、一个空行。多线程的静态网站服务器一直读到解析器认出完整的请求，找到文件，回复状态行、响应头，文件本身作为响应体；浏览器则一直读到 Content-Length 说的字节数到齐。样式表走同一个 keep-alive 连接，不存在的页面得到 404。最后，在地址栏里输入你自己的 URL 试试。",
        "The browser turns the name www.example.test into an address (DNS), opens a TCP connection to port 80, and writes a request message: plain text, a request line, headers, a blank line. The threaded static web server reads until its parser has a whole request, finds the file, and answers with a status line, headers and the file as the body; the browser reads until Content-Length bytes of body have come. The stylesheet follows over the same keep-alive connection, and a missing page gets 404. Then type your own URL into the address bar.",
    ),
    default_seed: 80,
    panels: Panels { browser: true, congestion: false },
    config,
    checkpoints: &[],
};

fn config(lang: Lang) -> WorldConfig {
    let site = HttpSpec::default();
    let server = WebServer {
        port: HTTP_PORT,
        backlog: 128,
        recv: 1024,
        files: site
            .files
            .iter()
            .map(|(p, _)| p.trim_start_matches('/').to_string())
            .collect(),
    };
    WorldConfig {
        lang,
        server: ServerSpec::new(server.script(lang)),
        http: Some(site),
        ..WorldConfig::default()
    }
}
