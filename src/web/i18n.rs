//! The app's visible strings in Chinese and English. Every string a learner
//! sees comes from [`Text`], so a missing translation is a compile error.

pub use crate::text::{Lang, Text};

pub const APP_TAGLINE: Text = Text::new(
    "看见 TCP 客户端与服务端如何对话",
    "See how a TCP client and server talk",
);
pub const LANG_SWITCH_LABEL: Text = Text::new("切换到英文", "Switch to Chinese");
pub const LANG_SWITCH_TEXT: Text = Text::new("English", "中文");
pub const STAGE_LABEL: Text = Text::new(
    "舞台：服务器、网络与客户端",
    "Stage: server, wire and clients",
);
pub const STAGE_EMPTY: Text = Text::new(
    "选择一节课，服务器、网络和客户端会出现在这里。",
    "Pick a lesson: the server, the wire and the clients will appear here.",
);
pub const SERVER: Text = Text::new("服务器", "Server");
pub const WIRE: Text = Text::new("网络", "Wire");
pub const CLIENTS: Text = Text::new("客户端", "Clients");
pub const QUERY_PROBLEM: Text = Text::new(
    "链接中有无法识别的部分，已忽略",
    "Part of the link was not understood and was ignored",
);
pub const PYTHON_LOADING: Text = Text::new(
    "Python 解释器还在下载，马上就运行",
    "Python is still loading: this runs when it arrives",
);
pub const INTERPRETER_FAILED: Text = Text::new(
    "Python 解释器没能下载下来，程序还不能运行。请检查网络连接，然后刷新页面。",
    "The Python interpreter could not be downloaded, so the programs cannot run yet. Check the network connection, then reload the page.",
);
pub const LINK_REFUSED: Text = Text::new(
    "链接里有操作重放时没能执行（链接可能来自旧版本，步数已经对不上）",
    "Some of the link's actions could not be replayed (the link may come from an older version, whose steps no longer match)",
);
pub const DISMISS: Text = Text::new("知道了", "Dismiss");
pub const QUIZ_LABEL: Text = Text::new("提问", "Checkpoint");
pub const QUIZ_PREDICT: Text = Text::new(
    "先猜一猜，再看模拟怎么走：",
    "Predict first, then watch the simulation:",
);
pub const QUIZ_SKIP: Text = Text::new("跳过", "Skip");
pub const QUIZ_YOURS: Text = Text::new("你的答案：", "Your answer: ");
pub const QUIZ_WATCH: Text = Text::new("接着看会发生什么……", "Now watch what happens…");
pub const QUIZ_RIGHT: Text = Text::new("✓ 答对了。", "✓ Right.");
pub const QUIZ_WRONG: Text = Text::new("✗ 不对。", "✗ Not this time.");
pub const QUIZ_ANSWER: Text = Text::new("这次的正确答案：", "What turned out right: ");
pub const QUIZ_NONE_RIGHT: Text = Text::new(
    "没有一个选项料到了这个结果。",
    "None of the choices foresaw this.",
);
pub const QUIZ_SCORE_TITLE: Text = Text::new(
    "答对的提问 / 全部提问",
    "Checkpoints answered right / all checkpoints",
);
pub const ACCEPT_QUEUE: Text = Text::new("全连接队列（accept 队列）", "accept queue");
pub const SYN_QUEUE: Text = Text::new("半连接队列（SYN 队列）", "SYN queue");
pub const ADD_CLIENT: Text = Text::new("＋ 添加客户端", "+ Add a client");
pub const REMOVE_CLIENT: Text = Text::new("移除（结束进程）", "Remove (end its process)");
pub const REMOVE_CLIENT_HELP: Text = Text::new(
    "结束这个客户端的进程，就像在它的终端按 Ctrl-C：内核替它关闭套接字，连接关闭后它离开舞台",
    "End this client's process, as Ctrl-C in its terminal would: the kernel closes its sockets, and it leaves the stage once they are closed",
);
pub const REMOVED: Text = Text::new("已移除", "removed");
pub const BYTES_AS: Text = Text::new("字节显示方式", "Show bytes as");
pub const DECODE_AS: Text = Text::new("解码", "Decode as");
pub const CAT_SYSCALL: Text = Text::new("系统调用", "syscalls");
pub const CAT_TCP: Text = Text::new("TCP 状态", "TCP state");
pub const CAT_SEGMENT: Text = Text::new("报文段", "segments");
pub const CAT_BUFFER: Text = Text::new("缓冲区", "buffers");
pub const CAT_CONSOLE: Text = Text::new("控制台", "console");
pub const CAT_CODE: Text = Text::new("代码行", "code lines");
pub const CAT_THREAD: Text = Text::new("线程", "threads");
pub const CAT_HTTP: Text = Text::new("DNS 与 HTTP", "DNS & HTTP");
pub const CAT_ACTION: Text = Text::new("你的操作", "your actions");
pub const CLIENT: Text = Text::new("客户端", "Client");
pub const HOST: Text = Text::new("主机", "Host");
pub const SERVER_CONSOLE: Text = Text::new("服务器终端输出", "Server console");
pub const CLIENT_CONSOLE: Text = Text::new("客户端终端输出", "Client consoles");
pub const CLOSE: Text = Text::new("关闭", "Close");
pub const CONTROLS: Text = Text::new("播放控制", "Playback controls");
pub const PLAY: Text = Text::new("播放", "Play");
pub const PAUSE: Text = Text::new("暂停", "Pause");
pub const PLAY_PAUSE: Text = Text::new("播放 / 暂停", "Play / pause");
pub const STEP: Text = Text::new("前进一步", "Step forward");
pub const STEP_BACK: Text = Text::new("后退一步", "Step back");
pub const RESET: Text = Text::new("从头开始", "Reset");
pub const TIMELINE: Text = Text::new("时间线", "Timeline");
/// "step 12" / "第 12 步".
pub fn step_label(lang: Lang, step: u64) -> String {
    match lang {
        Lang::Zh => format!("第 {step} 步"),
        Lang::En => format!("step {step}"),
    }
}
pub const SPEED: Text = Text::new("速度", "Speed");
pub const DAEMON: Text = Text::new("守护线程", "daemon");
pub const MAIN_THREAD: Text = Text::new("主线程", "main");
pub const THREADS: Text = Text::new("线程", "Threads");
pub const DOWNLOAD_PCAP: Text = Text::new("下载 pcap", "Download pcap");
pub const DOWNLOAD_LOG: Text = Text::new("下载事件日志", "Download event log");
pub const SHARE: Text = Text::new("分享 / 嵌入", "Share / embed");
pub const SHARE_LINK: Text = Text::new(
    "这个链接会恢复当前这一步：",
    "This link restores this exact moment:",
);
pub const EMBED_LINE: Text = Text::new(
    "把这一行贴进课程网页：",
    "Paste this line into a course page:",
);
pub const EMPTY: Text = Text::new("空", "empty");
pub const ENCODING: Text = Text::new("程序使用的编码 ", "Encoding the programs use ");
pub const EVENTS: Text = Text::new("事件", "Events");
pub const OLDER_EVENTS: Text = Text::new("显示更早的事件", "Show older events");
pub const FILTER: Text = Text::new("按类别筛选", "Filter by kind");
pub const JUMP_HERE: Text = Text::new("跳到这一刻", "Jump to this moment");
pub const FINISHED: Text = Text::new(
    "这一课演示完了。可以后退、拖动时间线，或者自己动手试试。",
    "The lesson has played to the end. Step back, scrub the timeline, or try something yourself.",
);
pub const PRESS_PLAY: Text = Text::new(
    "按 ▶ 播放，或按 → 一步一步地看。",
    "Press ▶ to play, or → to go one step at a time.",
);
pub const FROM: Text = Text::new("源", "From");
pub const TO: Text = Text::new("目的", "To");
pub const PAYLOAD: Text = Text::new("数据", "Payload");
pub const FULL: Text = Text::new("满", "full");
pub const WINDOW: Text = Text::new("窗口", "window");
pub const HELP: Text = Text::new("帮助", "Help");
pub const SHORTCUTS: Text = Text::new("键盘快捷键", "Keyboard shortcuts");
pub const HELP_TEXT: Text = Text::new(
    "每一步都是模拟内核里发生的一件事。点一个报文段看它的头部字段，点事件列表里的一行跳回那一刻。",
    "Each step is one thing happening in the simulated kernels. Click a segment to see its header fields; click a line in the event list to jump back to that moment.",
);
pub const IN_FLIGHT: Text = Text::new("在途", "in flight");
pub const PEER_WINDOW: Text = Text::new("对端窗口", "peer window");
pub const LESSONS: Text = Text::new("课程", "Lessons");
pub const WHAT_TO_WATCH: Text = Text::new("看点", "What to watch");
pub const LISTENING_SOCKET: Text = Text::new("监听套接字", "listening socket");
pub const NARRATION: Text = Text::new("解说", "Narration");
pub const NO_CLIENTS: Text = Text::new(
    "还没有客户端。点“添加客户端”。",
    "No clients yet. Use “Add a client”.",
);
pub const NO_CONNECTION: Text = Text::new(
    "（服务器这边还没有这个连接的套接字）",
    "(no socket for this connection on the server yet)",
);
pub const CONNECTION_GONE: Text = Text::new(
    "（服务器这边这个连接的套接字已经关闭）",
    "(the server's socket for this connection is closed)",
);
pub const NO_FD: Text = Text::new("无 fd（内核中）", "no fd (kernel only)");
pub const NO_OUTPUT: Text = Text::new("（还没有输出）", "(no output yet)");
pub const PROCESS: Text = Text::new("进程", "process");
pub const PROCESS_ENDED: Text = Text::new("进程已结束", "process ended");
pub const RECV_BUFFER: Text = Text::new("接收缓冲区", "receive buffer");
pub const SEND_BUFFER: Text = Text::new("发送缓冲区", "send buffer");
pub const SEGMENT: Text = Text::new("报文段", "segment");
pub const SEGMENT_DETAIL: Text = Text::new("报文段头部", "Segment header");
pub const SERVER_SIDE: Text = Text::new("服务器上的连接套接字", "Server's connected sockets");
pub const SET_BUFFERS: Text = Text::new("设置缓冲区", "Set buffers");
pub const TYPE_MESSAGE: Text = Text::new("输入要发送的消息", "Type a message to send");
pub const WAIT_ACCEPT: Text = Text::new("全连接队列是空的", "the accept queue is empty");
pub const WAIT_HANDSHAKE: Text = Text::new("等三次握手完成", "waiting for the handshake");
pub const WAIT_SEND: Text = Text::new("发送缓冲区满了", "the send buffer is full");
pub const WAIT_RECV: Text = Text::new("接收缓冲区是空的", "the receive buffer is empty");
pub const WAIT_SLEEP: Text = Text::new("在睡眠", "sleeping");
pub const WAIT_DNS: Text = Text::new("等 DNS 回答", "waiting for the DNS answer");
pub const WAIT_LEARNER: Text = Text::new("等你输入", "waiting for you");
pub const WAIT_THREAD: Text = Text::new("那个线程还没结束", "that thread has not ended");
pub const WAIT_LOCK: Text = Text::new("锁被别的线程拿着", "another thread holds the lock");
pub const BROWSER: Text = Text::new("浏览器", "Browser");
pub const ADDRESS_BAR: Text = Text::new("地址栏", "Address bar");
pub const GO: Text = Text::new("访问", "Go");
pub const SCHEME_ADDED: Text = Text::new(
    "你没有写协议：地址栏像真的浏览器一样补上了 http://。",
    "No scheme was typed: the address bar puts http:// in front, as a real browser does.",
);
pub const NO_PAGE_YET: Text = Text::new("还没有收到页面。", "No page received yet.");
pub const URL_PARTS: Text = Text::new("网址的组成部分", "Parts of the URL");
pub const URL_PARAMS: Text = Text::new("查询参数：", "Query parameters:");
pub const URL_SCHEME: Text = Text::new("协议", "scheme");
pub const URL_SCHEME_HELP: Text = Text::new(
    "用什么协议通信：http 明文，https 加密。",
    "Which protocol to speak: http in clear text, https encrypted.",
);
pub const URL_HOST: Text = Text::new("域名", "host");
pub const URL_HOST_HELP: Text = Text::new(
    "服务器的名字；DNS 把它换成 IP 地址。",
    "The server's name; DNS turns it into an IP address.",
);
pub const URL_PORT: Text = Text::new("端口", "port");
pub const URL_PORT_HELP: Text = Text::new(
    "服务器上哪个程序在监听。",
    "Which program on the server is listening.",
);
pub const URL_PORT_DEFAULT: Text = Text::new(
    "没写端口：http 默认用 80（https 用 443）。",
    "No port written: http uses 80 by default (https 443).",
);
pub const URL_PATH: Text = Text::new("资源路径", "path");
pub const URL_PATH_HELP: Text = Text::new(
    "要服务器上的哪个资源（静态服务器里就是哪个文件）。",
    "Which resource on the server (for a static server: which file).",
);
pub const URL_QUERY: Text = Text::new("查询参数", "query");
pub const URL_QUERY_HELP: Text = Text::new(
    "? 后面的 key=value，用 & 分隔，交给服务器程序。",
    "key=value pairs after ?, joined by &, for the server's program.",
);
pub const URL_FRAGMENT: Text = Text::new("片段", "fragment");
pub const URL_FRAGMENT_HELP: Text = Text::new(
    "# 后面的部分只留在浏览器里，不会发给服务器。",
    "The part after # stays in the browser; it is never sent.",
);
pub const NETWORK: Text = Text::new("网络（开发者工具）", "Network (DevTools)");
pub const COL_NAME: Text = Text::new("名称", "Name");
pub const COL_STATUS: Text = Text::new("状态", "Status");
pub const COL_TYPE: Text = Text::new("类型", "Type");
pub const COL_SIZE: Text = Text::new("大小", "Size");
pub const COL_TIME: Text = Text::new("时间", "Time");
pub const NO_REQUESTS: Text = Text::new(
    "浏览器还没有发出请求。",
    "The browser has made no request yet.",
);
pub const PENDING: Text = Text::new("等待中", "pending");
pub const FAILED: Text = Text::new("失败", "failed");
pub const TAB_HEADERS: Text = Text::new("标头", "Headers");
pub const TAB_RESPONSE: Text = Text::new("响应", "Response");
pub const TAB_TIMING: Text = Text::new("时间", "Timing");
pub const GENERAL: Text = Text::new("常规", "General");
pub const REQUEST_URL: Text = Text::new("请求网址", "Request URL");
pub const REQUEST_METHOD: Text = Text::new("请求方法", "Request Method");
pub const STATUS_CODE: Text = Text::new("状态代码", "Status Code");
pub const REMOTE_ADDRESS: Text = Text::new("远程地址", "Remote Address");
pub const RESPONSE_HEADERS: Text = Text::new("响应标头", "Response Headers");
pub const REQUEST_HEADERS: Text = Text::new("请求标头", "Request Headers");
pub const RAW: Text = Text::new("原始报文", "Raw");
pub const HEADER_CLICK_HINT: Text = Text::new(
    "点一个标头，在缓冲区和网络上高亮承载它的字节。",
    "Click a header to highlight the bytes that carried it, in the buffers and on the wire.",
);
pub const T_DNS: Text = Text::new("DNS 查询", "DNS Lookup");
pub const T_CONNECT: Text = Text::new("初始连接", "Initial connection");
pub const T_SENT: Text = Text::new("请求已发送", "Request sent");
pub const T_WAITING: Text = Text::new("等待服务器响应", "Waiting for server response");
pub const T_DOWNLOAD: Text = Text::new("内容下载", "Content Download");
pub const T_TOTAL: Text = Text::new("总计", "Total");
pub const YOUR_TURN: Text = Text::new("动手试试", "Try it yourself");

// The learner's screen: pace, editor, actions, explanations.

/// "step 12 / 90" / "第 12 / 90 步".
pub fn step_of_label(lang: Lang, step: u64, total: &str) -> String {
    match lang {
        Lang::Zh => format!("第 {step} / {total} 步"),
        Lang::En => format!("step {step} / {total}"),
    }
}
pub const SIM_TIME_HELP: Text = Text::new(
    "模拟时间：这一步发生在模拟世界里的时刻（不是你看了多久）。",
    "Simulated time: when this step happened in the simulated world (not how long you have watched).",
);
pub const RESTING: Text = Text::new(
    "现在什么也不会发生，直到你动手：添加客户端、发送消息、调用 recv 或关闭。",
    "Nothing more happens until you act: add a client, send a message, call recv or close.",
);
pub const RESTING_BROWSER: Text = Text::new(
    "现在什么也不会发生，直到你动手：在地址栏输入另一个网址，再按“访问”。",
    "Nothing more happens until you act: type another address into the address bar and press Go.",
);
/// The tooltip of a byte cell: "byte 0: 0xCA" / "第 0 个字节：0xCA".
pub fn byte_title(lang: Lang, index: usize, byte: u8) -> String {
    match lang {
        Lang::Zh => format!("第 {index} 个字节：0x{byte:02X}"),
        Lang::En => format!("byte {index}: 0x{byte:02X}"),
    }
}
pub const FREE: Text = Text::new("空", "free");
/// The tooltip of the "+N free" cell.
pub fn more_free_title(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("还有 {n} 个空闲字节没有画出来：缓冲区画不下这么多格子"),
        Lang::En => {
            format!("{n} more free bytes, not drawn: the buffer is too big to draw cell by cell")
        }
    }
}
pub const SEND_BUFFER_HELP: Text = Text::new(
    "已存字节/容量：send() 放进来、还没被对方确认的字节（已发未确认的和还没发的）。",
    "bytes stored / capacity: what send() put here that the peer has not acknowledged yet (sent and unacknowledged, or not sent yet).",
);
pub const RECV_BUFFER_HELP: Text = Text::new(
    "已存字节/容量 · 窗口：到达了、还没被 recv() 取走的字节；窗口就是空闲空间，每个 ACK 都把它告诉对方。",
    "bytes stored / capacity · window: bytes that arrived and recv() has not taken yet; the window is the free space, told to the peer in every ACK.",
);
pub const RAW_NUMBER: Text = Text::new("原始序号", "raw number");
pub const SND_UNA_HELP: Text = Text::new(
    "SND.UNA：最早一个已发出但还没被确认的字节（相对序号，从 SYN 的 0 算起）。",
    "SND.UNA: the oldest byte sent and not yet acknowledged (relative: the SYN is 0, as Wireshark counts).",
);
pub const SND_NXT_HELP: Text = Text::new(
    "SND.NXT：下一个要发出的字节的序号。SND.NXT − SND.UNA 就是在途的字节。",
    "SND.NXT: the sequence number of the next byte to send. SND.NXT − SND.UNA bytes are in flight.",
);
pub const RCV_NXT_HELP: Text = Text::new(
    "RCV.NXT：下一个期望收到的字节的序号；ACK 里带的就是它。",
    "RCV.NXT: the next byte expected from the peer; it is what an ACK carries.",
);
pub const IN_FLIGHT_HELP: Text = Text::new(
    "在途：已发出、还没被确认的字节数。",
    "In flight: bytes sent and not yet acknowledged.",
);
pub const PEER_WINDOW_HELP: Text = Text::new(
    "对端窗口：对方最近一次通告的空闲空间；发送方在途的字节不能超过它。",
    "Peer window: the free space the peer last advertised; the sender keeps no more than this in flight.",
);
pub const TEXT: Text = Text::new("文字", "Text");
pub const HEX: Text = Text::new("十六进制", "Hex");
pub const DECODE_HELP: Text = Text::new(
    "字节按哪种编码显示成文字。默认跟随服务器程序里的 ENCODING。",
    "Which encoding turns the bytes into text. By default it follows ENCODING in the server's program.",
);
pub const DARK: Text = Text::new("深色", "Dark");
pub const EDIT: Text = Text::new("编辑", "Edit");
pub const EDITED: Text = Text::new("你的版本", "your version");
pub const RUN: Text = Text::new("运行", "Run");
pub const RUN_HELP: Text = Text::new("用这个程序从头运行", "Run from the start with this program");
pub const CANCEL: Text = Text::new("取消", "Cancel");
pub const RESET_CODE: Text = Text::new("恢复课程代码", "Reset to the lesson's");
pub const RESET_CODE_HELP: Text = Text::new(
    "丢掉你的修改，用课程原来的程序从头运行",
    "Drop your changes and run the lesson's own program from the start",
);
/// "Line 14: " / "第 14 行：", before an error.
pub fn line_label(lang: Lang, n: u32) -> String {
    match lang {
        Lang::Zh => format!("第 {n} 行："),
        Lang::En => format!("Line {n}: "),
    }
}
pub const NO_SYNTAX_ERROR: Text = Text::new(
    "没有语法错误。按“运行”从头运行。",
    "No syntax error. Press Run to run it from the start.",
);
pub const NOTE_RUNNING: Text =
    Text::new("运行到能看到效果为止……", "running until its effect shows…");
pub const NOTE_STOPPED: Text = Text::new(
    "在看到效果之前停下了；按 ▶ 或 → 继续。",
    "stopped before its effect showed; press ▶ or → to go on.",
);
pub const SCRIPTED_HINT: Text = Text::new(
    "这一课的客户端按脚本运行，不接受命令；添加一个客户端就能自己发消息。",
    "This lesson's clients run a script and take no commands; add a client to send your own messages.",
);
/// Why "add a client" is greyed out.
pub fn max_clients(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("最多 {n} 个客户端：先移除一个"),
        Lang::En => format!("at most {n} clients: remove one first"),
    }
}
/// Why send/recv/close are greyed out.
pub fn client_exited(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Zh => format!("{name} 的进程已经结束，不能再发送、接收或关闭"),
        Lang::En => format!("{name}'s process has exited: it can no longer send, recv or close"),
    }
}
/// The message box's limit.
pub fn message_limit(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("一条消息最多 {n} 个字符"),
        Lang::En => format!("a message holds at most {n} characters"),
    }
}
pub const BUFFER_SIZES: Text = Text::new(
    "缓冲区大小（SO_SNDBUF / SO_RCVBUF）",
    "Buffer sizes (SO_SNDBUF / SO_RCVBUF)",
);
/// A buffer size the kernel does not take.
pub fn buffer_size_error(lang: Lang, name: &str, typed: &str) -> String {
    let typed = if typed.is_empty() { "（空）" } else { typed };
    match lang {
        Lang::Zh => format!("{name} 不能是 {typed}：要写 1 到 65535 之间的整数（字节数）"),
        Lang::En => format!(
            "{name} cannot be {}: give a whole number of bytes from 1 to 65535",
            if typed == "（空）" { "blank" } else { typed }
        ),
    }
}
pub const COPY: Text = Text::new("复制", "Copy");
pub const COPIED: Text = Text::new("已复制", "Copied");
pub const SHARE_HINT: Text = Text::new(
    "链接里有课程、种子、你的操作和修改过的代码、当前这一步，以及显示方式（十六进制、解码、速度、选中的请求）。",
    "The link holds the lesson, its seed, your actions and edited code, this step, and how the view is set (hex, decoding, speed, selected request).",
);
pub const BUDGET: Text = Text::new("暂停：一直没有阻塞", "paused: never blocks");
pub const BUDGET_HELP: Text = Text::new(
    "运行了很多步，却有线程从不阻塞（忙循环）。按 ▶ 再运行一段。",
    "Many steps have run and a thread never blocks (a busy loop). Press ▶ to run on for a while.",
);
/// The label of a folded run of lines.
pub fn folded(lang: Lang, from: u32, to: u32) -> String {
    match lang {
        Lang::Zh => format!("⋯ 第 {from}–{to} 行（点击展开）"),
        Lang::En => format!("⋯ lines {from}–{to} (click to show)"),
    }
}
pub const DROP: Text = Text::new("让网络丢掉它", "Drop it on the wire");
pub const DROP_HELP: Text = Text::new(
    "网络丢失这个报文段：看 TCP 怎样发现并重传",
    "The network loses this segment: watch TCP notice and send it again",
);

// Congestion control, teaching sizes and TIME-WAIT on the socket card.
pub const CWND_HELP: Text = Text::new(
    "拥塞窗口（cwnd）：发送方自己估计的网络容量，以报文段计。在途的数据不能超过 cwnd 和对端窗口中较小的那个。每个确认让它增长（慢启动时每个 ACK 加一段）；丢包时减小。",
    "Congestion window (cwnd): the sender's own estimate of what the network holds, in segments. Data in flight stays under the smaller of cwnd and the peer's window. Every ACK grows it (by one segment per ACK in slow start); a loss cuts it.",
);
pub const SSTHRESH_HELP: Text = Text::new(
    "慢启动阈值（ssthresh）：cwnd 低于它时指数增长（慢启动），高于它时每个往返只加一段（拥塞避免）。第一次丢包前是无穷大。",
    "Slow-start threshold (ssthresh): below it cwnd grows exponentially (slow start), above it by one segment per round trip (congestion avoidance). Infinite until the first loss.",
);
pub const RTO_HELP: Text = Text::new(
    "重传超时（RTO）：发出的数据这么久没被确认，就认为丢了并重发。按 RFC 6298 由测得的往返时间算出，Linux 规定最小 200 毫秒（TCP_RTO_MIN），第一次测量前是 1 秒；每次超时翻倍。",
    "Retransmission timeout (RTO): data unacknowledged for this long is taken as lost and sent again. Computed from measured round trips as RFC 6298 says, at least 200 ms as Linux has it (TCP_RTO_MIN), 1 s before the first measurement; it doubles on every timeout.",
);
pub const TEACHING_SIZES: Text = Text::new("教学尺寸", "teaching size");
pub const TEACHING_SIZES_HELP: Text = Text::new(
    "本课把这些值缩小了，好让一个个字节看得见；真实的 Linux 不会给这么小的值。",
    "This lesson keeps these values small so that single bytes can be seen; real Linux would not give values this small.",
);
pub const LIST_SEP: Text = Text::new("；", "; ");
pub fn teaching_send_buffer(lang: Lang, cap: usize, linux: usize) -> String {
    match lang {
        Lang::Zh => format!("发送缓冲区 {cap} 字节（Linux 最小 {linux}）"),
        Lang::En => format!("send buffer {cap} B (Linux: at least {linux})"),
    }
}
pub fn teaching_recv_buffer(lang: Lang, cap: usize, linux: usize) -> String {
    match lang {
        Lang::Zh => format!("接收缓冲区 {cap} 字节（Linux 最小 {linux}）"),
        Lang::En => format!("receive buffer {cap} B (Linux: at least {linux})"),
    }
}
pub fn teaching_mss(lang: Lang, mss: u16) -> String {
    match lang {
        Lang::Zh => format!("每段载荷最多 {mss} 字节（以太网上的 Linux：带时间戳 1448，不带 1460）"),
        Lang::En => format!("payload up to {mss} B a segment (Linux on Ethernet: 1448 with timestamps, 1460 without)"),
    }
}
pub const TIME_WAIT_HELP: Text = Text::new(
    "Linux 的 TIME-WAIT 固定 60 秒（TCP_TIMEWAIT_LEN）。这段时间里往往没有别的事发生，模拟的时钟会直接跳过去，所以这里看起来比 60 秒快。",
    "Linux keeps TIME-WAIT for 60 s (TCP_TIMEWAIT_LEN). Nothing else usually happens meanwhile, so the simulated clock jumps ahead: it goes by faster here than 60 real seconds.",
);
pub fn time_wait_left(lang: Lang, secs: f64) -> String {
    match lang {
        Lang::Zh => format!("TIME-WAIT：还剩 {secs:.3} 秒（共 60 秒；时钟在这里会跳着走）"),
        Lang::En => format!("TIME-WAIT: {secs:.3} s left of 60 (the clock skips ahead here)"),
    }
}

// The stream graph panel.
pub const GRAPH_TITLE: Text = Text::new(
    "拥塞窗口与在途字节",
    "Congestion window and bytes in flight",
);
pub const GRAPH_HELP: Text = Text::new(
    "每条发过数据的连接一张图，横轴是模拟时间，纵轴是字节：cwnd（拥塞窗口）、在途字节和对端窗口，像 Wireshark 的 TCP 流图。在途字节贴着 cwnd 说明发送方受拥塞窗口限制；cwnd 的陡降就是一次丢包。",
    "One graph per connection that sent data, simulated time across and bytes up: cwnd (the congestion window), the bytes in flight and the peer's window, as Wireshark's TCP stream graphs draw them. Flight touching cwnd means the sender is held back by cwnd; a sudden drop in cwnd is a loss.",
);
pub const GRAPH_CWND: Text = Text::new("cwnd", "cwnd");
pub const GRAPH_FLIGHT: Text = Text::new("在途", "in flight");
pub const GRAPH_PEER_WINDOW: Text = Text::new("对端窗口", "peer window");
pub const GRAPH_SSTHRESH: Text = Text::new("ssthresh", "ssthresh");
pub fn graph_label(lang: Lang, from: &str, to: &str) -> String {
    match lang {
        Lang::Zh => format!("{from} 发往 {to}"),
        Lang::En => format!("{from} sending to {to}"),
    }
}
pub fn graph_axis(lang: Lang, max_bytes: u32, secs: f64) -> String {
    match lang {
        Lang::Zh => format!("纵轴 0–{max_bytes} 字节，横轴 0–{secs:.3} 秒"),
        Lang::En => format!("0–{max_bytes} bytes up, 0–{secs:.3} s across"),
    }
}

pub const GRAPH_BY_TIME: Text = Text::new("按时间", "to time scale");
pub const GRAPH_AXIS_HELP: Text = Text::new(
    "横轴默认把每次变化等距排开，这样一毫秒内的一串变化（慢启动、快速恢复）也看得清；按下后横轴按模拟时间比例画，像 Wireshark 那样。",
    "By default each change gets the same width across, so a burst of changes within a millisecond (slow start, fast recovery) can be read; pressed, the graph is drawn to the scale of simulated time, as Wireshark draws it.",
);
pub fn graph_axis_changes(lang: Lang, max_bytes: u32, changes: usize, secs: f64) -> String {
    match lang {
        Lang::Zh => format!("纵轴 0–{max_bytes} 字节，横轴是 {changes} 次变化（依次排开，不按时间比例；共 {secs:.3} 秒）"),
        Lang::En => format!("0–{max_bytes} bytes up; across, {changes} changes in order (not to time scale; {secs:.3} s in all)"),
    }
}
pub fn graph_peer_above(lang: Lang, peer: u32) -> String {
    match lang {
        Lang::Zh => format!("；对端窗口（最大 {peer} 字节）超出图的上沿"),
        Lang::En => format!("; the peer window (up to {peer} bytes) runs above the top"),
    }
}

// The network controls.
pub const NETWORK_BOX: Text = Text::new("网络：丢包与延迟", "Network: loss and delay");
pub const LOSS_RATE: Text = Text::new("丢包率 %", "loss rate %");
pub const DELAY_MS: Text = Text::new("单程延迟（毫秒）", "one-way delay (ms)");
pub const SET_NETWORK: Text = Text::new("设置", "Set");
pub const NETWORK_HINT: Text = Text::new(
    "丢包按随机种子决定，同一个链接重放时丢的是同一批报文段。也可以点线路上的报文段，把它丢掉。重传超时最少 200 毫秒（Linux 的 TCP_RTO_MIN）。",
    "Which segments are lost follows the run's seed: replaying the link loses the same ones. You can also click a segment on the wire and drop it. The retransmission timeout is at least 200 ms (Linux's TCP_RTO_MIN).",
);
pub fn loss_rate_error(lang: Lang, typed: &str) -> String {
    let typed = match (typed.trim(), lang) {
        ("", Lang::Zh) => "（空）",
        ("", Lang::En) => "empty",
        (t, _) => t,
    };
    match lang {
        Lang::Zh => format!("丢包率不能是 {typed}：要写 0 到 100 之间的整数"),
        Lang::En => format!("The loss rate cannot be {typed}: write a whole number from 0 to 100"),
    }
}
pub fn delay_error(lang: Lang, typed: &str) -> String {
    let typed = match (typed.trim(), lang) {
        ("", Lang::Zh) => "（空）",
        ("", Lang::En) => "empty",
        (t, _) => t,
    };
    match lang {
        Lang::Zh => format!("延迟不能是 {typed}：要写 1 到 10000 之间的整数（毫秒）"),
        Lang::En => format!(
            "The delay cannot be {typed}: write a whole number of milliseconds from 1 to 10000"
        ),
    }
}

// What select() found ready, on the socket card.
pub const READY_READ: Text = Text::new("select：可读", "select: readable");
pub const READY_WRITE: Text = Text::new("select：可写", "select: writable");
pub const READY_HELP: Text = Text::new(
    "最近一次 select() 返回时，这个 fd 在就绪列表里：对它调用 accept()/recv()/send() 不会阻塞。线程再次调用 select() 时标记清除。",
    "The newest select() returned this fd as ready: accept(), recv() or send() on it will not block. The mark clears when the thread calls select() again.",
);
pub fn readiness(lang: Lang, why: &crate::sim::event::Readiness) -> String {
    use crate::sim::event::Readiness::*;
    match (why, lang) {
        (Accept { queued }, Lang::Zh) => format!("全连接队列里有 {queued} 个连接"),
        (Accept { queued }, Lang::En) => format!(
            "{queued} connection{} in the accept queue",
            if *queued == 1 { "" } else { "s" }
        ),
        (Data { bytes }, Lang::Zh) => format!("{bytes} 字节待读"),
        (Data { bytes }, Lang::En) => format!("{bytes} bytes to read"),
        (Eof, Lang::Zh) => "对方已关闭（recv 返回 b''）".into(),
        (Eof, Lang::En) => "the peer closed (recv returns b'')".into(),
        (Error { error }, Lang::Zh) => format!("连接出错：{}", error.python()),
        (Error { error }, Lang::En) => format!("failed: {}", error.python()),
        (Hangup, Lang::Zh) => "未连接（挂断）".into(),
        (Hangup, Lang::En) => "not connected (hang-up)".into(),
        (Room { free, .. }, Lang::Zh) => format!("发送缓冲区空闲 {free} 字节"),
        (Room { free, .. }, Lang::En) => format!("{free} bytes free to send"),
        (SendShut, Lang::Zh) => "已关闭发送方向".into(),
        (SendShut, Lang::En) => "sending shut down".into(),
    }
}

// The lesson picker's groups.
pub const GROUP_COURSE: Text = Text::new("课程本章", "The course's chapter");
pub const GROUP_FURTHER: Text = Text::new("进阶", "Going further");
pub const GROUP_MISTAKES: Text = Text::new("常见错误", "Common mistakes");
pub const COLON: Text = Text::new("：", ": ");
