//! The event log: filterable by kind, each entry a jump to its moment.

use super::event_row::EventRow;
use crate::sim::{Category, Event};
use crate::web::i18n::{self, Lang};
use crate::web::state::{CategoryKey, CategorySet};
use yew::prelude::*;

/// The list shows the newest events, this many at first and this many more
/// each time the learner asks for older ones; all of them stay in the log
/// (and the downloads) and are reached with the timeline too. A short list
/// keeps a busy tick (eight clients connecting at once) cheap to draw.
pub use crate::web::state::EVENT_PAGE as PAGE;

#[derive(Properties, PartialEq)]
pub struct EventListProps {
    pub lang: Lang,
    /// (index in the log, event), newest first.
    pub events: Vec<(usize, Event)>,
    pub total: usize,
    /// Whether older events (of the shown kinds) are left out.
    pub more: bool,
    pub on_more: Callback<()>,
    pub hidden: CategorySet,
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
        Category::Code => i18n::CAT_CODE,
        Category::Thread => i18n::CAT_THREAD,
        Category::Http => i18n::CAT_HTTP,
        Category::Action => i18n::CAT_ACTION,
    }
}

/// The newest `limit` events of the log whose category is not hidden,
/// newest first (what just happened is at the top, without scrolling), and
/// whether older ones were left out.
pub fn visible(log: &[Event], hidden: CategorySet, limit: usize) -> (Vec<(usize, Event)>, bool) {
    let mut rows: Vec<(usize, Event)> = log
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, e)| !hidden.contains(e.kind.category()))
        .take(limit + 1)
        .map(|(i, e)| (i, e.clone()))
        .collect();
    let more = rows.len() > limit;
    rows.truncate(limit);
    (rows, more)
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
        assert!(log.len() > PAGE);
        let (all, more) = visible(log, CategorySet::default(), PAGE);
        assert_eq!(all.len(), PAGE);
        assert!(more);
        assert_eq!(all[0].0, log.len() - 1);
        assert!(all.windows(2).all(|w| w[0].0 > w[1].0));
        let (everything, more) = visible(log, CategorySet::default(), log.len());
        assert_eq!(everything.len(), log.len());
        assert!(!more);
        let hidden: CategorySet = [Category::Buffer].into_iter().collect();
        let (some, _) = visible(log, hidden, PAGE);
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
        let on = !props.hidden.contains(c);
        let cb = props.on_toggle.clone();
        html! {
            <label class={classes!("filter", format!("cat-{}", CategoryKey::from(c).0))}>
                <input type="checkbox" checked={on} onchange={Callback::from(move |_| cb.emit(c))} />
                { category_text(c).get(lang) }
            </label>
        }
    });
    // One component per row, keyed by its index in the log: a tick that
    // adds events renders the new rows only.
    let rows = props.events.iter().map(|(i, e)| {
        html! {
            <EventRow key={*i} {lang} index={*i} event={e.clone()}
                      selected={props.selected == Some(*i)} on_jump={props.on_jump.clone()} />
        }
    });
    html! {
        <section class="event-list" aria-label={i18n::EVENTS.get(lang)}>
            <h3>{ i18n::EVENTS.get(lang) }<span class="count">{ format!(" ({})", props.total) }</span></h3>
            <div class="filters" role="group" aria-label={i18n::FILTER.get(lang)}>{ for filters }</div>
            <ol class="events">{ for rows }</ol>
            if props.more {
                <button class="more-events" onclick={props.on_more.reform(|_| ())}>{ i18n::OLDER_EVENTS.get(lang) }</button>
            }
        </section>
    }
}
