//! The built-in program of the `http` lesson (its mock browser) as the
//! code panel shows it: each line's code and its comment in both languages (see
//! [`super::source`]).

/// One line: code with placeholders, and a comment per language. A line with
/// no code is a comment line.
pub(super) struct Line {
    pub code: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

const fn l(code: &'static str, en: &'static str, zh: &'static str) -> Line {
    Line { code, en, zh }
}

pub(super) const BROWSER: &[Line] = &[
    l(
        "",
        "A minimal browser, written with socket: DNS, then TCP, then HTTP.",
        "用 socket 写的最小浏览器：先 DNS，再 TCP，然后 HTTP。",
    ),
    l("import socket", "", ""),
    l("from httpmsg import build_request, parse_response", "", ""),
    l("", "", ""),
    l("HOST = \"{HOST}\"", "", ""),
    l(
        "PAGES = {PAGES}",
        "the page, its stylesheet, a missing page",
        "页面、它的样式表、一个不存在的页面",
    ),
    l("", "", ""),
    l("if __name__ == \"__main__\":", "", ""),
    l(
        "    ",
        "DNS: which address does the name stand for? (cached after)",
        "DNS：这个名字对应哪个地址？（之后会缓存）",
    ),
    l("    ip = socket.gethostbyname(HOST)", "", ""),
    l("    while True:", "", ""),
    l(
        "        conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
        "",
        "",
    ),
    l(
        "        ",
        "TCP: the three-way handshake with the web server's port {PORT}.",
        "TCP：与网站服务器的 {PORT} 端口三次握手。",
    ),
    l("        conn.connect((ip, {PORT}))", "", ""),
    l(
        "        ",
        "Several pages: keep one connection open for all of them.",
        "要取好几个页面：让一个连接一直开着，全部走它。",
    ),
    l("        keep_alive = len(PAGES) > 1", "", ""),
    l("        for path in PAGES:", "", ""),
    l(
        "            ",
        "A request is text: request line, headers, a blank line.",
        "请求就是文本：请求行、请求头、一个空行。",
    ),
    l(
        "            request = build_request(\"GET\", path, HOST, keep_alive)",
        "",
        "",
    ),
    l("            conn.sendall(request)", "", ""),
    l("            buf = b\"\"", "", ""),
    l(
        "            ",
        "Whole response = head + Content-Length bytes of body.",
        "完整的响应 = 头部 + Content-Length 个字节的响应体。",
    ),
    l("            while not parse_response(buf):", "", ""),
    l(
        "                data = conn.recv({BROWSER_RECV})",
        "whatever has arrived, up to {BROWSER_RECV}",
        "已到达的字节，最多 {BROWSER_RECV} 个",
    ),
    l("                if not data:", "", ""),
    l(
        "                    raise ConnectionError(\"closed before the end\")",
        "",
        "",
    ),
    l("                buf += data", "", ""),
    l("            response = parse_response(buf)", "", ""),
    l(
        "            print(response.status, response.reason, path)",
        "",
        "",
    ),
    l("        conn.close()", "", ""),
    l(
        "        ",
        "The address bar: wait for the learner to type a URL.",
        "地址栏：等学习者输入一个 URL。",
    ),
    l(
        "        PAGES = [wait_for_learner()]",
        "its path and query",
        "取它的路径和查询参数",
    ),
];
