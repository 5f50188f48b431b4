//! The built-in programs of the `http` lesson as the code panel shows
//! them: each line's code and its comment in both languages (see
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

pub(super) const WEB_SERVER: &[Line] = &[
    l(
        "",
        "A static web server: one thread per connection, keep-alive.",
        "静态网站服务器：每个连接一个线程，支持 keep-alive。",
    ),
    l("import socket", "", ""),
    l("import threading", "", ""),
    l("import time", "", ""),
    l(
        "from httpmsg import parse_request, serve_static, http_date, MemoryFiles",
        "",
        "",
    ),
    l("", "", ""),
    l(
        "SITE = MemoryFiles({FILES})",
        "the site's files, in memory",
        "网站的文件，放在内存里",
    ),
    l("", "", ""),
    l("", "", ""),
    l("def handle_connection(conn, addr):", "", ""),
    l(
        "    ",
        "One thread per connection; a connection may carry many requests.",
        "每个连接一个线程；一个连接上可以有多个请求。",
    ),
    l("    buf = b\"\"", "", ""),
    l("    while True:", "", ""),
    l(
        "        ",
        "A whole request in buf? None means \"not yet\", not an error.",
        "buf 里有完整的请求吗？None 表示“还没有”，不是错误。",
    ),
    l("        request, used = parse_request(buf)", "", ""),
    l("        if request is None:", "", ""),
    l(
        "            ",
        "TCP delivers bytes, not messages: read more.",
        "TCP 交付的是字节，不是消息：接着读。",
    ),
    l("            data = conn.recv({RECV})", "", ""),
    l("            if not data:", "", ""),
    l(
        "                print(addr, \"closed the connection\")",
        "b\"\": the browser sent FIN",
        "b\"\"：浏览器发来了 FIN",
    ),
    l("                break", "", ""),
    l("            buf += data", "", ""),
    l("            continue", "", ""),
    l("        buf = buf[used:]", "", ""),
    l(
        "        ",
        "Find the file: 200 with it, 404 without; never outside SITE.",
        "找文件：找到回 200，找不到回 404；绝不越出 SITE。",
    ),
    l("        reply = serve_static(request, SITE)", "", ""),
    l(
        "        print(addr, request.method, request.target, reply.status)",
        "",
        "",
    ),
    l("        keep_alive = request.keep_alive()", "", ""),
    l(
        "        ",
        "Status line, headers (Date from the clock), blank line, body.",
        "状态行、响应头（Date 取自时钟）、空行、响应体。",
    ),
    l(
        "        conn.sendall(reply.to_bytes(http_date(time.time()), keep_alive))",
        "",
        "",
    ),
    l("        if not keep_alive:", "", ""),
    l(
        "            break",
        "the request said Connection: close",
        "请求里说了 Connection: close",
    ),
    l("    conn.close()", "", ""),
    l("", "", ""),
    l("", "", ""),
    l("if __name__ == \"__main__\":", "", ""),
    l(
        "    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
        "",
        "",
    ),
    l(
        "    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)",
        "",
        "",
    ),
    l(
        "    ",
        "Port {PORT}: where http:// URLs go when they name no port.",
        "{PORT} 端口：http:// 开头、没写端口的 URL 都连到这里。",
    ),
    l("    server.bind((\"\", {PORT}))", "", ""),
    l("    server.listen({BACKLOG})", "", ""),
    l("    while True:", "", ""),
    l("        conn, addr = server.accept()", "", ""),
    l(
        "        t = threading.Thread(target=handle_connection, args=(conn, addr), daemon=True)",
        "",
        "",
    ),
    l("        t.start()", "", ""),
];

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
