//! The event log: filterable by kind, each entry a jump to its moment.

use crate::sim::{Category, Event};
use crate::web::i18n::{self, Lang};
use crate::web::state::CategoryKey;
use std::collections::BTreeSet;
use yew::prelude::*;

/// The list shows the newest events up to this many; older ones stay in the
/// log (and the downloads) and are reached with the timeline.
const SHOWN: usize = 150;

#[derive(Properties, PartialEq)]
pub struct EventListProps {
    pub lang: Lang,
    /// (index in the log, event), newest first.
    pub events: Vec<(usize, Event)>,
    pub total: usize,
    pub hidden: BTreeSet<CategoryKey>,
    pub selected: Option<usize>,
    pub on_toggle: Callback<Category>,
    pub on_jump: Callback<usize>,
}

pub fn category_text(c: Category) -> i18n::Text {
    match c {
        Category::Syscall => i18n::CAT_SYSCALL,
        Category::TcpState => i18n::CAT_TCP,
        Category::Segment => i18n::CAT_SEGMENT,
        Category::Buffer => i18n::CAT_BUFFER,
        Category::Console => i18n::CAT_CONSOLE,
        Category::Thread => i18n::CAT_THREAD,
        Category::Action => i18n::CAT_ACTION,
    }
}

/// The newest `SHOWN` events of the log whose category is not hidden,
/// newest first: what just happened is at the top, without scrolling.
pub fn visible(log: &[Event], hidden: &BTreeSet<CategoryKey>) -> Vec<(usize, Event)> {
    log.iter()
        .enumerate()
        .rev()
        .filter(|(_, e)| !hidden.contains(&CategoryKey::from(e.kind.category())))
        .take(SHOWN)
        .map(|(i, e)| (i, e.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{LessonId, Run};

    #[test]
    fn newest_first_and_hidden_kinds_left_out() {
        let mut run = Run::new(LessonId::Echo, 7);
        run.play(10_000);
        let log = run.log();
        let all = visible(log, &BTreeSet::new());
        assert_eq!(all.len(), SHOWN.min(log.len()));
        assert_eq!(all[0].0, log.len() - 1);
        assert!(all.windows(2).all(|w| w[0].0 > w[1].0));
        let hidden: BTreeSet<CategoryKey> = [CategoryKey::from(Category::Buffer)].into();
        let some = visible(log, &hidden);
        assert!(some
            .iter()
            .all(|(_, e)| e.kind.category() != Category::Buffer));
        assert!(all
            .iter()
            .any(|(_, e)| e.kind.category() == Category::Buffer));
    }
}

#[function_component(EventList)]
pub fn event_list(props: &EventListProps) -> Html {
    let lang = props.lang;
    let filters = Category::ALL.iter().map(|&c| {
        let on = !props.hidden.contains(&CategoryKey::from(c));
        let cb = props.on_toggle.clone();
        html! {
            <label class={classes!("filter", format!("cat-{}", CategoryKey::from(c).0))}>
                <input type="checkbox" checked={on} onchange={Callback::from(move |_| cb.emit(c))} />
                { category_text(c).get(lang) }
            </label>
        }
    });
    let rows = props.events.iter().map(|(i, e)| {
        let i = *i;
        let jump = props.on_jump.reform(move |_| i);
        let who = e.host.map(|h| h.name()).unwrap_or_default();
        html! {
            <li key={i} class={classes!("event", format!("cat-{}", CategoryKey::from(e.kind.category()).0),
                                (props.selected == Some(i)).then_some("selected"))}>
                <button onclick={jump} title={i18n::JUMP_HERE.get(lang)}>
                    <span class="t">{ format!("{:.3} ms", e.at.total_micros() as f64 / 1000.0) }</span>
                    <span class="who">{ who }</span>
                    <span class="what">{ e.narration(lang) }</span>
                </button>
            </li>
        }
    });
    html! {
        <section class="event-list" aria-label={i18n::EVENTS.get(lang)}>
            <h3>{ i18n::EVENTS.get(lang) }<span class="count">{ format!(" ({})", props.total) }</span></h3>
            <div class="filters" role="group" aria-label={i18n::FILTER.get(lang)}>{ for filters }</div>
            <ol class="events">{ for rows }</ol>
        </section>
    }
}
