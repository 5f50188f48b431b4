//! The header fields and payload of the segment the learner clicked.

use crate::echo::TextEncoding;
use crate::sim::net::wire::InFlight;
use crate::web::i18n::{self, Lang};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SegmentDetailProps {
    pub lang: Lang,
    pub segment: InFlight,
    /// Its numbers relative to the first of their direction.
    #[prop_or_default]
    pub rel: Option<crate::sim::event::Relative>,
    pub encoding: TextEncoding,
    pub on_close: Callback<()>,
    /// Drop it on the wire (the learner's loss).
    #[prop_or_default]
    pub on_drop: Option<Callback<u64>>,
}

#[function_component(SegmentDetail)]
pub fn segment_detail(props: &SegmentDetailProps) -> Html {
    let lang = props.lang;
    let s = &props.segment.segment;
    let row = |k: &str, v: String| html! { <tr><th scope="row">{ k.to_string() }</th><td>{ v }</td></tr> };
    let hex: String = s.payload.iter().map(|b| format!("{b:02X} ")).collect();
    let close = props.on_close.reform(|_| ());
    html! {
        <aside class="segment-detail" aria-label={i18n::SEGMENT_DETAIL.get(lang)}>
            <div class="detail-head">
                <strong>{ i18n::SEGMENT_DETAIL.get(lang) }</strong>
                <button onclick={close} aria-label={i18n::CLOSE.get(lang)}>{"×"}</button>
            </div>
            <table>
                { row(i18n::FROM.get(lang), format!("{}:{}", s.src.ip, s.src.port)) }
                { row(i18n::TO.get(lang), format!("{}:{}", s.dst.ip, s.dst.port)) }
                { row("flags", s.flags.to_string()) }
                { row("seq", match props.rel {
                    Some(r) => format!("{} ({} {})", r.seq, i18n::RAW_NUMBER.get(lang), s.seq.0),
                    None => s.seq.0.to_string(),
                }) }
                { row("ack", match (s.flags.ack, props.rel) {
                    (false, _) => "-".into(),
                    (true, Some(r)) => format!("{} ({} {})", r.ack, i18n::RAW_NUMBER.get(lang), s.ack.0),
                    (true, None) => s.ack.0.to_string(),
                }) }
                { row("window", s.window.to_string()) }
                if s.options != Default::default() { { row("options", s.options.to_string()) } }
                { row(i18n::PAYLOAD.get(lang), format!("{} B", s.payload.len())) }
            </table>
            if let (Some(drop), false) = (props.on_drop.clone(), props.segment.lost) {
                <button class="drop-segment" onclick={{ let id = props.segment.id; drop.reform(move |_: MouseEvent| id) }}
                        title={i18n::DROP_HELP.get(lang)}>{ i18n::DROP.get(lang) }</button>
            }
            if !s.payload.is_empty() {
                <pre class="payload">{ props.encoding.decode_lossy(&s.payload) }</pre>
                <pre class="payload hex">{ hex }</pre>
            }
        </aside>
    }
}
