//! A process's threads as lanes: name, daemon flag, what each is doing and
//! the line of code it is on (and its process's PID once a host has forked). A lane, its thread's socket and its cursor in
//! the code share a colour; pointing at one outlines the others.

use crate::sim::event::BlockReason;
use crate::sim::os::thread::ThreadState;
use crate::sim::ThreadId;
use crate::web::i18n::{self, Lang};
use yew::prelude::*;

/// A thread as its lane shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// Index into the lane palette (its cursor and socket use it too).
    pub color: usize,
    pub thread: crate::sim::view::ThreadView,
    /// The text of the line it is on.
    pub code: Option<String>,
}

#[derive(Properties, PartialEq)]
pub struct ThreadsProps {
    pub lang: Lang,
    pub threads: Vec<Lane>,
    #[prop_or_default]
    pub hover: Option<ThreadId>,
    #[prop_or_default]
    pub on_hover: Callback<Option<ThreadId>>,
}

/// What a thread is doing, in words a learner reads at a glance.
pub fn thread_state_text(state: &ThreadState, lang: Lang) -> (String, &'static str) {
    let zh = lang == Lang::Zh;
    match state {
        ThreadState::Running => ((if zh { "运行中" } else { "running" }).into(), "running"),
        ThreadState::Ready => (
            (if zh {
                "就绪：等别的线程交出 GIL"
            } else {
                "ready: waiting for the GIL"
            })
            .into(),
            "running",
        ),
        ThreadState::Exited { .. } => ((if zh { "已结束" } else { "exited" }).into(), "exited"),
        ThreadState::Blocked { call, reason } => {
            let why = match reason {
                BlockReason::AcceptQueueEmpty => i18n::WAIT_ACCEPT,
                BlockReason::Handshake => i18n::WAIT_HANDSHAKE,
                BlockReason::SendBufferFull { .. } => i18n::WAIT_SEND,
                BlockReason::RecvBufferEmpty => i18n::WAIT_RECV,
                BlockReason::Sleeping { .. } => i18n::WAIT_SLEEP,
                BlockReason::DnsAnswer { .. } => i18n::WAIT_DNS,
                BlockReason::Learner => i18n::WAIT_LEARNER,
                BlockReason::ThreadRunning { .. } => i18n::WAIT_THREAD,
                BlockReason::LockHeld => i18n::WAIT_LOCK,
                BlockReason::ChildRunning { .. } => {
                    i18n::Text::new("子进程还在运行", "the child process is still running")
                }
                BlockReason::Select { .. } => {
                    i18n::Text::new("它的套接字都还没有就绪", "none of its sockets is ready")
                }
            };
            let text = if zh {
                format!("阻塞于 {}：{}", call.name(), why.zh)
            } else {
                format!("blocked in {}: {}", call.name(), why.en)
            };
            (text, "blocked")
        }
    }
}

#[function_component(ThreadLanes)]
pub fn thread_lanes(props: &ThreadsProps) -> Html {
    let lang = props.lang;
    html! {
        <ol class="threads" aria-label={i18n::THREADS.get(lang)}>
            { for props.threads.iter().map(|lane| {
                let t = &lane.thread;
                let (text, class) = thread_state_text(&t.state, lang);
                let id = t.id;
                let enter = props.on_hover.reform(move |_: MouseEvent| Some(id));
                let leave = props.on_hover.reform(|_: MouseEvent| None);
                let live = class != "exited";
                // Processes on this host besides its first: each lane names its PID.
                let pid = props
                    .threads
                    .iter()
                    .any(|l| l.thread.forked && l.thread.host == t.host)
                    .then_some(t.pid);
                html! {
                    <li class={classes!("lane", format!("lane-{}", lane.color % 8), class,
                                        (props.hover == Some(id)).then_some("hovered"))}
                        data-thread={t.name.clone()} data-host={t.host.name()} data-lane={lane.color.to_string()} data-line={t.line.map(|l| l.to_string())} onmouseenter={enter} onmouseleave={leave}>
                        <div class="lane-head">
                            <span class="lane-name">{ &t.name }</span>
                            if t.daemon { <span class="badge">{ i18n::DAEMON.get(lang) }</span> }
                            if t.main { <span class="badge">{ i18n::MAIN_THREAD.get(lang) }</span> }
                            if let Some(pid) = pid {
                                <span class="badge pid" data-pid={pid.to_string()}
                                      title={if lang == Lang::Zh { format!("进程 {pid}") } else { format!("process {pid}") }}>
                                    { format!("PID {pid}") }
                                </span>
                            }
                            <span class="lane-state" title={text.clone()}>{ text.clone() }</span>
                        </div>
                        if let (Some(line), true) = (t.line.filter(|l| *l > 0), live) {
                            <div class="lane-code" title={lane.code.clone().unwrap_or_default()}>
                                <span class="lane-line">{ format!("L{line}") }</span>
                                <code>{ lane.code.as_deref().map(str::trim).unwrap_or_default() }</code>
                            </div>
                        }
                    </li>
                }
            }) }
        </ol>
    }
}
