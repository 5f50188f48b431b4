//! A kernel buffer drawn as byte cells: one cell per byte of capacity, filled
//! cells hold the bytes the kernel holds, empty cells are the free space (for
//! a receive buffer, the window it advertises). Empty cells are drawn a few
//! to an element (`data-free` says how many).

use crate::echo::TextEncoding;
use crate::web::i18n::{self, Lang};
use crate::web::state::ByteDisplay;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BufferProps {
    pub lang: Lang,
    /// "send buffer" or "receive buffer", already translated.
    pub title: AttrValue,
    pub bytes: Vec<u8>,
    pub capacity: usize,
    pub display: ByteDisplay,
    pub encoding: TextEncoding,
    /// Receive buffers show the window they advertise.
    #[prop_or(false)]
    pub receive: bool,
    /// Byte range to highlight (for example, the bytes that carried a header).
    #[prop_or_default]
    pub highlight: Option<(usize, usize)>,
}

/// Past this many cells a buffer is drawn compressed: the filled part keeps
/// its cells, the free part becomes a few cells and a count.
const MAX_CELLS: usize = 64;
/// Free cells drawn at most once the buffer is compressed.
const FREE_CELLS: usize = 6;
/// Free cells drawn by one element.
const FREE_RUN: usize = 8;

#[function_component(BufferView)]
pub fn buffer_view(props: &BufferProps) -> Html {
    let lang = props.lang;
    let len = props.bytes.len();
    let free = props.capacity.saturating_sub(len);
    let full = free == 0 && props.capacity > 0;
    let glyphs = props.encoding.glyphs(&props.bytes);
    let shown = len.min(MAX_CELLS);

    let mut cells = Vec::with_capacity(shown + 1);
    for g in glyphs.iter().filter(|g| g.start < shown) {
        for i in g.start..(g.start + g.len).min(shown) {
            let byte = props.bytes[i];
            let first = i == g.start;
            let text = match props.display {
                ByteDisplay::Hex => format!("{byte:02X}"),
                ByteDisplay::Text => match g.ch {
                    Some(c) if first => printable(c),
                    Some(_) => String::new(),
                    None => "?".into(),
                },
            };
            let hl = props.highlight.is_some_and(|(a, b)| i >= a && i < b);
            let class = classes!(
                "cell",
                "filled",
                (g.len > 1).then_some("multi"),
                (g.len > 1 && first).then_some("lead"),
                (g.len > 1 && i + 1 == g.start + g.len).then_some("tail"),
                g.ch.is_none().then_some("cut"),
                hl.then_some("hl"),
            );
            let title = i18n::byte_title(lang, i, byte);
            cells.push(html! { <span {class} {title}>{ text }</span> });
        }
    }
    if len > shown {
        cells.push(html! { <span class="cell more">{ format!("+{}", len - shown) }</span> });
    }
    let free_cells = if props.capacity <= MAX_CELLS {
        free
    } else {
        free.min(FREE_CELLS.saturating_sub(shown).max(3))
    };
    // Free cells are drawn FREE_RUN to an element (a repeating background
    // draws the cells), so a buffer is a few elements and still wraps.
    let mut left = free_cells;
    while left > 0 {
        let n = left.min(FREE_RUN);
        left -= n;
        cells.push(html! {
            <span class="cell free" style={format!("--n:{n}")} data-free={n.to_string()}></span>
        });
    }
    if free > free_cells {
        let more = free - free_cells;
        cells.push(html! {
            <span class="cell free more" title={i18n::more_free_title(lang, more)}>
                { format!("+{more} {}", i18n::FREE.get(lang)) }
            </span>
        });
    }

    let summary = if props.receive {
        format!(
            "{len}/{} · {} {free}",
            props.capacity,
            i18n::WINDOW.get(lang)
        )
    } else {
        format!("{len}/{}", props.capacity)
    };
    let help = if props.receive {
        i18n::RECV_BUFFER_HELP
    } else {
        i18n::SEND_BUFFER_HELP
    };
    html! {
        <div class={classes!("buffer", props.receive.then_some("rx"), full.then_some("full"))}
             role="group" aria-label={format!("{} {summary}", props.title)}>
            <div class="buffer-head">
                <span class="buffer-title">{ props.title.clone() }</span>
                <span class="buffer-summary" title={help.get(lang)}>{ summary }</span>
                if full { <span class="badge warn">{ i18n::FULL.get(lang) }</span> }
            </div>
            <div class="cells">{ for cells }</div>
        </div>
    }
}

/// Control characters get a visible stand-in so a cell is never blank.
fn printable(c: char) -> String {
    match c {
        '\n' => "↵".into(),
        '\r' => "␍".into(),
        ' ' => "␣".into(),
        c if c.is_control() => "·".into(),
        c => c.to_string(),
    }
}
