//! The app's visible strings in Chinese and English. Every string a learner
//! sees comes from [`Text`], so a missing translation is a compile error.

pub use crate::sim::Lang;

impl Lang {
    /// The code used in `?lang=` and in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Parses `zh`, `zh-CN`, `en`, `en-US`… (case-insensitive); `None` for anything else.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the switch in the header.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// A string that exists in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Text {
    pub const fn new(zh: &'static str, en: &'static str) -> Self {
        Text { zh, en }
    }

    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

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
    "链接中有无法识别的部分，已忽略：",
    "Part of the link was not understood and was ignored:",
);
pub const DISMISS: Text = Text::new("知道了", "Dismiss");
pub const ACCEPT_QUEUE: Text = Text::new("全连接队列（accept 队列）", "accept queue");
pub const SYN_QUEUE: Text = Text::new("半连接队列（SYN 队列）", "SYN queue");
pub const ADD_CLIENT: Text = Text::new("＋ 添加客户端", "+ Add a client");
pub const BYTES_AS: Text = Text::new("字节显示方式", "Show bytes as");
pub const SHOW_HEX: Text = Text::new("显示十六进制", "Show hex");
pub const SHOW_TEXT: Text = Text::new("显示文字", "Show text");
pub const DECODE_AS: Text = Text::new("解码", "Decode as");
pub const CAT_SYSCALL: Text = Text::new("系统调用", "syscalls");
pub const CAT_TCP: Text = Text::new("TCP 状态", "TCP state");
pub const CAT_SEGMENT: Text = Text::new("报文段", "segments");
pub const CAT_BUFFER: Text = Text::new("缓冲区", "buffers");
pub const CAT_CONSOLE: Text = Text::new("控制台", "console");
pub const CAT_THREAD: Text = Text::new("线程", "threads");
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
pub const STEP_WORD: Text = Text::new("第几步", "step");
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
pub const INTERACTIVE_HINT: Text = Text::new("只对交互式客户端有效", "for interactive clients");
pub const IN_FLIGHT: Text = Text::new("在途", "in flight");
pub const PEER_WINDOW: Text = Text::new("对端窗口", "peer window");
pub const SEQVARS_HELP: Text = Text::new(
    "相对序号（从 SYN 算起，和 Wireshark 一样）：SND.UNA 最早未确认，SND.NXT 下一个要发，RCV.NXT 下一个期望收到。",
    "Relative sequence numbers (from the SYN, as Wireshark shows them): SND.UNA oldest unacknowledged, SND.NXT next to send, RCV.NXT next expected.",
);
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
pub const THEME: Text = Text::new("切换深色 / 浅色", "Toggle dark / light");
pub const TYPE_MESSAGE: Text = Text::new("输入要发送的消息", "Type a message to send");
pub const WAIT_ACCEPT: Text = Text::new("全连接队列是空的", "the accept queue is empty");
pub const WAIT_HANDSHAKE: Text = Text::new("等三次握手完成", "waiting for the handshake");
pub const WAIT_SEND: Text = Text::new("发送缓冲区满了", "the send buffer is full");
pub const WAIT_RECV: Text = Text::new("接收缓冲区是空的", "the receive buffer is empty");
pub const WAIT_SLEEP: Text = Text::new("在睡眠", "sleeping");
pub const WAIT_LEARNER: Text = Text::new("等你输入", "waiting for you");
pub const YOUR_TURN: Text = Text::new("动手试试", "Try it yourself");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_parse_by_their_primary_subtag() {
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("EN_us"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
    }
}
