//! Share links: their edited programs waiting to be decompressed, and
//! replaying the run they describe.

use super::{RunHandle, State};
use crate::sim::{self, EventKind, Run, Setup};
use crate::text::Text;
use crate::web::query::EditedCode;

/// A link's edited programs, still being decompressed: the run is replayed
/// with them once they are.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub code: String,
    pub actions: Vec<sim::run::Recorded>,
    pub step: u64,
}

/// The furthest step a share link may ask to replay to.
pub const MAX_LINK_STEP: u64 = 200_000;

impl State {
    /// Replays the run from a link: its programs, actions and step.
    pub(super) fn replay(&mut self, code: EditedCode, actions: Vec<sim::run::Recorded>, step: u64) {
        let setup = Setup {
            server: code.server,
            client: code.client,
            ..Setup::new(self.lesson, self.seed).in_lang(self.lang)
        };
        self.run = RunHandle::new(Run::replay(setup, actions, step));
        self.refused = refused(&self.run.borrow());
        // The link's replies belong to this run.
        let replies = self.quiz.replies.clone();
        self.fresh_run();
        self.quiz.replies = replies;
    }
}

/// The actions of a run's recording that its world refused so far, each as
/// "what was asked: why not".
pub(super) fn refused(run: &Run) -> Vec<Text<String>> {
    run.log()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ActionIgnored { action, why } => Some(Text::owned(
                format!("{}：{}", action.describe(sim::Lang::Zh), why.zh),
                format!("{}: {}", action.describe(sim::Lang::En), why.en),
            )),
            _ => None,
        })
        .collect()
}
