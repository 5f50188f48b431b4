//! A process's threads as lanes: name, daemon flag, and what each is doing.

use crate::sim::event::BlockReason;
use crate::sim::os::thread::ThreadState;
use crate::sim::view::ThreadView;
use crate::web::i18n::{self, Lang};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ThreadsProps {
    pub lang: Lang,
    /// (colour index, thread)
    pub threads: Vec<(usize, ThreadView)>,
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
            { for props.threads.iter().map(|(color, t)| {
                let (text, class) = thread_state_text(&t.state, lang);
                html! {
                    <li class={classes!("lane", format!("lane-{}", color % 8), class)}>
                        <span class="lane-name">{ &t.name }</span>
                        if t.daemon { <span class="badge">{ i18n::DAEMON.get(lang) }</span> }
                        if t.main { <span class="badge">{ i18n::MAIN_THREAD.get(lang) }</span> }
                        <span class="lane-state">{ text }</span>
                        if let Some(line) = t.line { <span class="lane-line">{ format!("L{line}") }</span> }
                    </li>
                }
            }) }
        </ol>
    }
}
