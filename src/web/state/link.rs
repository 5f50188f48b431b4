//! Share links: their edited programs waiting to be decompressed, and
//! replaying the run they describe.

use super::{RunHandle, State};
use crate::sim::{self, EventKind, Run, Setup};
use crate::text::Text;
use crate::web::query::EditedCode;

/// A link's run, waiting for its edited programs to be decompressed, or for
/// the interpreter to arrive: it is replayed once both are there.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// The link's programs, compressed, until they are decompressed.
    pub code: Option<String>,
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
        // The link's replies and selected request belong to this run.
        let (replies, request) = (self.quiz.replies.clone(), self.request);
        self.fresh_run();
        self.quiz.replies = replies;
        self.request = request;
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
